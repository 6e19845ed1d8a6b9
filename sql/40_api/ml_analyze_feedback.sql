CREATE OR REPLACE FUNCTION @extschema@.ml_analyze_feedback(days integer DEFAULT 30)
RETURNS jsonb
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.analysis.as_json(plpy, days)
$python$;
COMMENT ON FUNCTION @extschema@.ml_analyze_feedback(integer) IS
    'what the feedback says: success rate, accuracy, trend over days, estimation bias, the patterns that work, the areas to improve, and rule-based recommendations with their reasons and figures';
