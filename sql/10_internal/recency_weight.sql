-- The weight of a pattern's k-th latest result (k = 1 for the latest) in its recent evidence
-- (README, "Gating"): halved every recency_half_life results.
CREATE OR REPLACE FUNCTION query_ml.recency_weight(k bigint, half_life double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 0.5 ^ ((k - 1) / half_life);
COMMENT ON FUNCTION query_ml.recency_weight(bigint, double precision) IS
    'the weight of a pattern''s k-th latest result in its recent evidence: 0.5^((k - 1) / recency_half_life)';
