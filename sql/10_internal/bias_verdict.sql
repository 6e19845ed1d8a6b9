-- The one wording of an estimation bias, for ml_estimation_bias and ml_analyze_feedback.
CREATE OR REPLACE FUNCTION query_ml.bias_verdict(mean_error double precision)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN mean_error IS NULL THEN 'no feedback'
            WHEN abs(mean_error) < 2 THEN 'about right'
            WHEN mean_error > 0 THEN format('overestimates by %s points', round(mean_error::numeric, 1))
            ELSE format('underestimates by %s points', round(-mean_error::numeric, 1)) END;
COMMENT ON FUNCTION query_ml.bias_verdict(double precision) IS
    'how a mean estimation error reads: about right within 2 points, else over- or underestimates by so many points';
