CREATE OR REPLACE FUNCTION query_ml.apply_pattern(pattern_id bigint, sql text, caller_search_path text)
RETURNS text
LANGUAGE plpython3u VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.matching.apply(plpy, pattern_id, sql, caller_search_path)
$python$;
COMMENT ON FUNCTION query_ml.apply_pattern(bigint, text, text) IS
    'the work of ml_apply_pattern(): another role''s SQL is resolved with the caller''s search_path before it is handed over';
