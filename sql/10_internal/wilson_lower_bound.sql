-- The lower bound of the 95% Wilson score interval (z = 1.96) of successes out of applications.
CREATE OR REPLACE FUNCTION query_ml.wilson_lower_bound(applications bigint, successes bigint)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN applications = 0 THEN 0 ELSE
           (successes::double precision / applications + 1.9208 / applications
            - 1.96 * sqrt((successes::double precision / applications)
                          * (1 - successes::double precision / applications) / applications
                          + 0.9604 / applications ^ 2))
           / (1 + 3.8416 / applications) END;
COMMENT ON FUNCTION query_ml.wilson_lower_bound(bigint, bigint) IS
    'the lower bound of the 95% Wilson score interval of a success rate: low until there is enough evidence';
