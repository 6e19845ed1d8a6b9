-- P(effect >= bar) for an effect ~ Normal(mean, sd): the normal distribution function by its
-- logistic approximation 1 / (1 + exp(-1.702 z)), within 0.01 everywhere (PostgreSQL 15 has no
-- erf).  z is bounded so that exp() cannot overflow.
CREATE OR REPLACE FUNCTION query_ml.clearing_probability(mean double precision, sd double precision,
                                                         bar double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 1 / (1 + exp(-1.702 * least(30, greatest(-30, (mean - bar) / greatest(sd, 1e-6)))));
COMMENT ON FUNCTION query_ml.clearing_probability(double precision, double precision, double precision) IS
    'the probability that a normally distributed effect (mean, sd) is at least bar';
