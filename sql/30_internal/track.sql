CREATE OR REPLACE FUNCTION query_ml.track(
    optimization_id bigint, runs integer, sql text, timeout_ms integer, caller_search_path text, optimized text)
RETURNS SETOF query_ml.feedback_details
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
qml.errors.require(plpy, optimization_id=optimization_id)
return qml.tracking.track(plpy, optimization_id, runs, sql, timeout_ms, caller_search_path, optimized)
$python$;
COMMENT ON FUNCTION query_ml.track(bigint, integer, text, integer, text, text) IS
    'the work of ml_track(): the measured queries resolve names with the caller''s search_path, and nothing else does';
