-- On the hub, at the end of ml_refine(): the fleet's results that members subscribe to.  The
-- considered patterns' rows are written again (others have not changed), rows of patterns
-- deleted since go, and the types' calibration is replaced.  Members match against these rows
-- (ml_match_pattern, evidence 'fleet') and calibrate a type of theirs without a line of its own
-- with the fleet's (query_ml.type_prior).
CREATE OR REPLACE FUNCTION query_ml.fleet_share_results(pattern_ids bigint[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    hub CONSTANT text := (SELECT i.cluster_name FROM query_ml.fleet_identity i WHERE i.kind = 'hub');
BEGIN
    IF hub IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM query_ml.fleet_patterns f
     WHERE f.origin <> hub OR NOT EXISTS (SELECT FROM query_ml.patterns p WHERE p.id = f.pattern_id);
    INSERT INTO query_ml.fleet_patterns AS f (origin, pattern_id, fingerprint, normalized_query, optimization_type,
           optimized_template, source_name, dialect, status, score, expected_improvement, confidence,
           confidence_wilson, applications, members, refined_at)
    SELECT hub, p.id, p.fingerprint, p.normalized_query, p.optimization_type, p.optimized_template, s.name, p.dialect,
           p.status, m.score, m.expected_improvement, m.confidence, m.confidence_wilson, m.applications,
           (SELECT count(DISTINCT coalesce(o.fleet_origin, hub)) FROM query_ml.optimizations o WHERE o.pattern_id = p.id),
           p.refined_at
      FROM query_ml.patterns p
      JOIN query_ml.pattern_matches m ON m.pattern_id = p.id
      LEFT JOIN query_ml.sources s ON s.id = p.source_id
     WHERE p.id = ANY (pattern_ids)
    ON CONFLICT (origin, pattern_id) DO UPDATE
       SET fingerprint = excluded.fingerprint, normalized_query = excluded.normalized_query,
           optimization_type = excluded.optimization_type, optimized_template = excluded.optimized_template,
           source_name = excluded.source_name, dialect = excluded.dialect, status = excluded.status,
           score = excluded.score, expected_improvement = excluded.expected_improvement,
           confidence = excluded.confidence, confidence_wilson = excluded.confidence_wilson,
           applications = excluded.applications, members = excluded.members, refined_at = excluded.refined_at;
    DELETE FROM query_ml.fleet_calibration c
     WHERE NOT EXISTS (SELECT FROM query_ml.type_calibration t
                        WHERE t.optimization_type = c.optimization_type AND c.origin = hub);
    INSERT INTO query_ml.fleet_calibration AS c (origin, optimization_type, intercept, slope, effect_sd, patterns,
                                                 applications)
    SELECT hub, t.optimization_type, t.intercept, t.slope, t.effect_sd, t.patterns, t.applications
      FROM query_ml.type_calibration t
    ON CONFLICT (origin, optimization_type) DO UPDATE
       SET intercept = excluded.intercept, slope = excluded.slope, effect_sd = excluded.effect_sd,
           patterns = excluded.patterns, applications = excluded.applications
     WHERE (c.intercept, c.slope, c.effect_sd, c.patterns, c.applications)
           IS DISTINCT FROM (excluded.intercept, excluded.slope, excluded.effect_sd, excluded.patterns,
                             excluded.applications);
END
$$;
COMMENT ON FUNCTION query_ml.fleet_share_results(bigint[]) IS
    'on a fleet''s hub: writes the considered patterns'' fleet statistics, score and status, and the types'' calibration, for members to read';
