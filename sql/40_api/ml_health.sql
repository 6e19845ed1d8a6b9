CREATE OR REPLACE FUNCTION @extschema@.ml_health()
RETURNS TABLE ("check" text, status text, detail text)
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.health.check(plpy)
$python$;
COMMENT ON FUNCTION @extschema@.ml_health() IS
    'is query_ml in working order: extension version, parser version, pg_cron and the refinement job, the last refinement and its age, and the statistics check; each ok, warning or error';
