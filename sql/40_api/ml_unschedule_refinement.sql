CREATE OR REPLACE FUNCTION @extschema@.ml_unschedule_refinement()
RETURNS boolean
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.scheduling.unschedule(plpy)
$python$;
COMMENT ON FUNCTION @extschema@.ml_unschedule_refinement() IS
    'removes the pg_cron job that runs ml_refine(); false, with a notice, when none was scheduled';
