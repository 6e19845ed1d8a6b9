CREATE OR REPLACE FUNCTION @extschema@.ml_schedule_refinement(cron_expression text DEFAULT '*/10 * * * *', full boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.scheduling.schedule(plpy, cron_expression, full)
$python$;
COMMENT ON FUNCTION @extschema@.ml_schedule_refinement(text, boolean) IS
    'schedules ml_refine() with pg_cron (job query_ml_refine) at a five-field cron schedule; returns the pg_cron job id; scheduling again replaces the schedule';
