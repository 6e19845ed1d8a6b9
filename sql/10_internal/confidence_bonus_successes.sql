CREATE OR REPLACE FUNCTION query_ml.confidence_bonus_successes(successes bigint)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN successes >= 10 THEN 0.10 ELSE 0 END;
COMMENT ON FUNCTION query_ml.confidence_bonus_successes(bigint) IS '+0.10 for 10 or more successful applications';
