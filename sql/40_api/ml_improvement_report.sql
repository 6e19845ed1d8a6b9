CREATE OR REPLACE FUNCTION @extschema@.ml_improvement_report(days integer DEFAULT 30)
RETURNS jsonb
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.report.as_json(plpy, days)
$python$;
COMMENT ON FUNCTION @extschema@.ml_improvement_report(integer) IS
    'the improvement report as jsonb: summary, analysis with recommendations, accuracy by type, the daily trend, flagged and retired patterns, recent refinements';
