CREATE OR REPLACE FUNCTION @extschema@.ml_features(sql text)
RETURNS jsonb
LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.features.as_json(plpy, sql)
$python$;
COMMENT ON FUNCTION @extschema@.ml_features(text) IS
    'structural features of the statement (kind, tables, joins and join keys, predicate kinds, aggregates, subqueries, clauses) used for similarity; never a literal';
