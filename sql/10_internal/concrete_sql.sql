CREATE OR REPLACE FUNCTION query_ml.concrete_sql(pattern_id bigint, sql text, match_kind text, caller_search_path text)
RETURNS text
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.matching.concrete(plpy, pattern_id, sql, match_kind, caller_search_path)
$python$;
COMMENT ON FUNCTION query_ml.concrete_sql(bigint, text, text, text) IS
    'the SQL a suggestion can run: the applied template of an exact match, once checked if another role wrote it; otherwise NULL';
