-- A set-returning SQL function of one SELECT, with no SET clause: the planner inlines it into
-- the statistics trigger, which reads it once per writing statement.  It returns one row.
CREATE OR REPLACE FUNCTION query_ml.thresholds()
RETURNS TABLE (success numeric, regression numeric)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT max(s.value) FILTER (WHERE s.name = 'success_min_improvement')::numeric,
           max(s.value) FILTER (WHERE s.name = 'regression_threshold')::numeric
      FROM query_ml.settings s
     WHERE s.name IN ('success_min_improvement', 'regression_threshold');
END;
COMMENT ON FUNCTION query_ml.thresholds() IS 'the improvement, in percent, at or above which feedback is a success, and below which it is a regression';
