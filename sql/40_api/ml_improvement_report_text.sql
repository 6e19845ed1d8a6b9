CREATE OR REPLACE FUNCTION @extschema@.ml_improvement_report_text(days integer DEFAULT 30)
RETURNS text
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.report.as_text(plpy, days)
$python$;
COMMENT ON FUNCTION @extschema@.ml_improvement_report_text(integer) IS
    'the improvement report as readable text, for psql (\pset format unaligned)';
