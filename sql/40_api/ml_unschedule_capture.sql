CREATE OR REPLACE FUNCTION @extschema@.ml_unschedule_capture()
RETURNS boolean
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.scheduling.unschedule(plpy, qml.scheduling.CAPTURE_JOB)
$python$;
COMMENT ON FUNCTION @extschema@.ml_unschedule_capture() IS
    'removes the pg_cron job that runs ml_capture_workload(); false, with a notice, when none was scheduled';
