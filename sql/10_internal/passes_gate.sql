-- The gate of a suggestion, once (README, "Gating"): enough evidence that it helps (score; 0 until
-- ml_refine has weighed a pattern's results), the
-- original confidence rule, no likely loss, and an active pattern unless flagged ones are asked for.
CREATE OR REPLACE FUNCTION query_ml.passes_gate(score double precision, confidence double precision,
                                                expected_improvement double precision, status text,
                                                min_score double precision, min_confidence double precision,
                                                min_improvement double precision, include_flagged boolean)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(coalesce(score, 0) >= min_score AND confidence >= min_confidence AND expected_improvement >= min_improvement
                AND (status = 'active' OR include_flagged), false);
COMMENT ON FUNCTION query_ml.passes_gate(double precision, double precision, double precision, text, double precision, double precision, double precision, boolean) IS
    'whether a match is suggested: score, confidence and expected improvement at their bars, and an active pattern (or flagged ones asked for)';
