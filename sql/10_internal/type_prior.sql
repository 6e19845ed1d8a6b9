-- What a type's calibration says before a pattern has results, with the defaults of a type
-- not fitted yet (README, "Gating").  One SELECT with no SET clause: inlined.
CREATE OR REPLACE FUNCTION query_ml.type_prior(optimization_type text)
RETURNS TABLE (intercept double precision, slope double precision, noise_sd double precision, effect_sd double precision)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT coalesce(c.intercept, 0), coalesce(c.slope, 1), coalesce(c.noise_sd, 20),
           coalesce(c.effect_sd, 20 / sqrt(greatest((SELECT s.value FROM query_ml.settings s
                                                      WHERE s.name = 'calibration_strength')::double precision, 0.01)))
      FROM (SELECT 1) AS one
      LEFT JOIN query_ml.type_calibration c ON c.optimization_type = type_prior.optimization_type;
END;
COMMENT ON FUNCTION query_ml.type_prior(text) IS
    'an optimization type''s calibration line, noise and effect spread, or the defaults while it has too little feedback';
