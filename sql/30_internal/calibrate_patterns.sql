-- (n * mean measured + k * (mean estimate - type bias)) / (n + k): a pattern's own results,
-- weighted by its applications n, against its bias-corrected estimate, weighted by k.
CREATE OR REPLACE FUNCTION query_ml.calibrate_patterns(pattern_ids bigint[], stats_version bigint)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k numeric := query_ml.setting('calibration_strength')::numeric;
    updated bigint;
BEGIN
    UPDATE query_ml.patterns p
       SET calibrated_improvement = c.value, refined_version = stats_version, refined_at = now()
      FROM (SELECT t.pattern_id,
                   CASE WHEN t.applications + k > 0 AND (t.applications > 0 OR e.estimate IS NOT NULL)
                        THEN ((t.sum_actual + k * coalesce(e.estimate - coalesce(tc.mean_error, 0)::numeric, 0))
                              / (t.applications + CASE WHEN e.estimate IS NULL THEN 0 ELSE k END))::float8 END AS value
              FROM query_ml.pattern_totals t
              JOIN query_ml.patterns q ON q.id = t.pattern_id
              LEFT JOIN query_ml.type_calibration tc ON tc.optimization_type = q.optimization_type
             CROSS JOIN LATERAL (SELECT avg(o.estimated_improvement) AS estimate
                                   FROM query_ml.optimizations o WHERE o.pattern_id = q.id) e
             WHERE t.pattern_id = ANY (pattern_ids)) c
     WHERE p.id = c.pattern_id;
    GET DIAGNOSTICS updated = ROW_COUNT;
    RETURN updated;
END
$$;
COMMENT ON FUNCTION query_ml.calibrate_patterns(bigint[], bigint) IS
    'sets the calibrated expected improvement of some patterns: their measured mean against their bias-corrected estimate, weighted by applications and the calibration_strength setting';
