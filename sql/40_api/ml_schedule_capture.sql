CREATE OR REPLACE FUNCTION @extschema@.ml_schedule_capture(cron_expression text DEFAULT '*/15 * * * *')
RETURNS bigint
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.scheduling.schedule_capture(plpy, cron_expression)
$python$;
COMMENT ON FUNCTION @extschema@.ml_schedule_capture(text) IS
    'schedules ml_capture_workload() with pg_cron (job query_ml_capture) at a five-field cron schedule; returns the pg_cron job id; scheduling again replaces the schedule';
