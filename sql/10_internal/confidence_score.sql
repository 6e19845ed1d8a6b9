-- The original product's rule: the success rate, plus its two bonuses, at most 1.
CREATE OR REPLACE FUNCTION query_ml.confidence_score(applications bigint, successes bigint, sum_actual numeric)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN applications = 0 THEN 0 ELSE least(1.0,
           successes::double precision / applications
           + query_ml.confidence_bonus_successes(successes) + query_ml.confidence_bonus_improvement(applications, sum_actual)) END;
COMMENT ON FUNCTION query_ml.confidence_score(bigint, bigint, numeric) IS
    'a pattern''s confidence: success rate plus the bonuses of confidence_bonus_successes and confidence_bonus_improvement, at most 1';
