CREATE OR REPLACE FUNCTION @extschema@.ml_analyze_feedback(days integer DEFAULT 30)
RETURNS jsonb
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.analysis.as_json(plpy, days)
$python$;
COMMENT ON FUNCTION @extschema@.ml_analyze_feedback(integer) IS
    'what the feedback of the last days says: success rate, accuracy, trend, estimation bias, the patterns that work, every harmful pattern (most time lost first, at most 20 and the count of the rest), the areas to improve, and rule-based recommendations with their reasons and figures';
