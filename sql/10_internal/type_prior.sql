-- What a type's calibration says before a pattern has results (README, "Gating"): its line, the
-- identity (the estimate at its word) until query_ml.calibrate_types has fitted one, and the
-- spread of the patterns' effects around it, NULL until fitted (then a pattern's own noise and
-- calibration_strength set it: k = noise^2 / effect_sd^2).  One SELECT with no SET clause: inlined.
CREATE OR REPLACE FUNCTION query_ml.type_prior(optimization_type text)
RETURNS TABLE (intercept double precision, slope double precision, effect_sd double precision,
               strength double precision)
LANGUAGE sql STABLE
BEGIN ATOMIC
    -- A type's own fitted line, else, on a fleet member, the fleet's (fitted on the hub).
    SELECT coalesce(l.intercept, 0), coalesce(l.slope, 1), l.effect_sd,
           greatest((SELECT s.value FROM query_ml.settings s WHERE s.name = 'calibration_strength')::double precision, 0.01)
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (
            SELECT c.intercept, c.slope, c.effect_sd, 1 AS rank, '' AS origin FROM query_ml.type_calibration c
             WHERE c.optimization_type = type_prior.optimization_type AND c.slope IS NOT NULL
            UNION ALL
            SELECT g.intercept, g.slope, g.effect_sd, 2, g.origin FROM query_ml.fleet_calibration g
             WHERE g.optimization_type = type_prior.optimization_type AND g.slope IS NOT NULL
            ORDER BY rank, origin LIMIT 1) l ON true;
END;
COMMENT ON FUNCTION query_ml.type_prior(text) IS
    'an optimization type''s calibration line (the identity until fitted, or on a fleet member the fleet''s), the spread of its patterns'' effects (NULL until fitted) and calibration_strength';
