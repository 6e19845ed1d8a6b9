-- A set-returning SQL function of one SELECT, with no SET clause: the planner inlines it into
-- the statistics trigger, which reads it once per writing statement.  It returns one row.
CREATE OR REPLACE FUNCTION query_ml.thresholds()
RETURNS TABLE (success numeric, regression numeric)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT max(coalesce(v.value, d.default_value)) FILTER (WHERE d.name = 'success_min_improvement')::numeric,
           max(coalesce(v.value, d.default_value)) FILTER (WHERE d.name = 'regression_threshold')::numeric
      FROM query_ml.setting_definitions d LEFT JOIN query_ml.setting_values v ON v.name = d.name
     WHERE d.name IN ('success_min_improvement', 'regression_threshold');
END;
COMMENT ON FUNCTION query_ml.thresholds() IS 'the improvement, in percent, at or above which feedback is a success, and below which it is a regression';
