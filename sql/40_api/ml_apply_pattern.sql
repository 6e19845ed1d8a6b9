CREATE OR REPLACE FUNCTION @extschema@.ml_apply_pattern(pattern_id bigint, sql text)
RETURNS text
LANGUAGE plpython3u STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.matching.apply(plpy, pattern_id, sql)
$python$;
COMMENT ON FUNCTION @extschema@.ml_apply_pattern(bigint, text) IS
    'the optimized SQL of a pattern made concrete for a query: the query literals carried into the pattern template; an error when the query does not fit';
