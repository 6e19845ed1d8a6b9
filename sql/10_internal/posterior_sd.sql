-- How uncertain query_ml.posterior_mean is: it shrinks as results come in.
CREATE OR REPLACE FUNCTION query_ml.posterior_sd(prior_sd double precision, noise_sd double precision,
                                                 n double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN sqrt(noise_sd ^ 2 * prior_sd ^ 2 / (noise_sd ^ 2 + greatest(coalesce(n, 0), 0) * prior_sd ^ 2));
COMMENT ON FUNCTION query_ml.posterior_sd(double precision, double precision, double precision) IS
    'the standard deviation of a pattern''s expected effect after n results';
