CREATE OR REPLACE FUNCTION query_ml.concrete_sql(pattern_id bigint, sql text, match_kind text)
RETURNS text
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.matching.concrete(plpy, pattern_id, sql, match_kind)
$python$;
COMMENT ON FUNCTION query_ml.concrete_sql(bigint, text, text) IS
    'the SQL a suggestion can run: the applied template for an exact match, a template that needs no value of the query otherwise, or NULL';
