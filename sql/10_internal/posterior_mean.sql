-- The expected effect of a pattern: its prior (what its estimate predicts, spread prior_sd)
-- and its own results (n of them, weighted, with mean `mean`, each spread noise_sd) combined by
-- their precisions, a normal-normal posterior.  With k = noise_sd^2 / prior_sd^2 this is
-- (k * prior + n * mean) / (k + n).  A single RETURN expression: inlined.
CREATE OR REPLACE FUNCTION query_ml.posterior_mean(prior_mean double precision, prior_sd double precision,
                                                   noise_sd double precision, n double precision,
                                                   mean double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN coalesce(n, 0) <= 0 OR mean IS NULL THEN prior_mean
            ELSE (prior_mean * noise_sd ^ 2 + n * mean * prior_sd ^ 2) / (noise_sd ^ 2 + n * prior_sd ^ 2) END;
COMMENT ON FUNCTION query_ml.posterior_mean(double precision, double precision, double precision, double precision, double precision) IS
    'a pattern''s expected effect: its calibrated estimate and its own results, weighted by their precisions';
