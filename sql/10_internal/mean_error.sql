-- The signed estimation error, in points: estimated minus measured, so a positive error is an
-- estimate that promised too much.  From sums, so that every total (a pattern, a type, all
-- feedback) divides the same way.  A single RETURN expression: the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.mean_error(sum_estimated numeric, sum_actual numeric, applications numeric)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((sum_estimated - sum_actual) / nullif(applications, 0))::double precision;
COMMENT ON FUNCTION query_ml.mean_error(numeric, numeric, numeric) IS
    'mean signed estimation error in points (estimated - measured) from the sums of some feedback; NULL without feedback';
