-- Per optimization type, from the patterns' evidence (this run's where query_ml.weigh_recent has
-- just weighed a pattern, else what the pattern holds) and the maintained sums (no pass over the feedback rows, so an incremental refinement stays cheap):
--   measured ~ intercept + slope x estimate, a weighted least-squares line over the type's
--     patterns' typical results against their estimates (query_ml.pattern_estimates): how much
--     the estimates carry, in offset and in scale.  Within a recording role, each pattern weighs
--     its results up to 10; each role weighs 1 in all: one writer's many patterns move the line
--     no more than another writer's one;
--   effect_sd, the spread of the patterns' effects around the line: each pattern's squared
--     distance from it, less what its own noise explains (query_ml.pattern_noise), at least 0,
--     so that noisy patterns (one writer's, say) cannot cancel the spread the others show;
--   noise_sd, the patterns' noise pooled, for the record.
-- With fewer than 5 patterns with results, the line and effect_sd stay NULL and query_ml.type_prior
-- gives the identity line and calibration_strength.
CREATE OR REPLACE FUNCTION query_ml.calibrate_types(weighed query_ml.pattern_evidence[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM query_ml.type_calibration;     -- from here on, type_prior gives the defaults
    INSERT INTO query_ml.type_calibration (optimization_type, applications, mean_error, patterns, intercept, slope,
                                           noise_sd, effect_sd)
    WITH evidence AS (
        SELECT p.optimization_type AS kind, p.created_by AS role, v.typical_count AS results,
               least(v.typical_count, 10)::double precision AS n,
               e.estimate AS x,
               v.typical_mean AS y, query_ml.pattern_noise(v.typical_count, v.typical_spread) AS noise,
               t.applications, t.sum_estimated, t.sum_actual
          FROM query_ml.pattern_totals t JOIN query_ml.patterns p ON p.id = t.pattern_id
          JOIN query_ml.pattern_estimates e ON e.pattern_id = p.id
          LEFT JOIN unnest(weighed) w ON w.pattern_id = p.id
         CROSS JOIN LATERAL (SELECT CASE WHEN w.pattern_id IS NULL THEN p.typical_count ELSE w.typical_count END AS typical_count,
                                    CASE WHEN w.pattern_id IS NULL THEN p.typical_mean ELSE w.typical_mean END AS typical_mean,
                                    CASE WHEN w.pattern_id IS NULL THEN p.typical_spread ELSE w.typical_spread END
                                        AS typical_spread) v
         WHERE t.applications > 0 AND v.typical_count > 0
    ), per_pattern AS (
        SELECT e.*, e.n / sum(e.n) OVER (PARTITION BY e.kind, e.role) AS w FROM evidence e
    ), fit AS (
        SELECT kind, sum(applications)::bigint AS applications, count(*) AS patterns,
               query_ml.mean_error(sum(sum_estimated), sum(sum_actual), sum(applications)) AS mean_error,
               sum(w * x) / sum(w) AS mx, sum(w * y) / sum(w) AS my,
               sum(w * x * x) / sum(w) - (sum(w * x) / sum(w)) ^ 2 AS vx,
               sum(w * x * y) / sum(w) - (sum(w * x) / sum(w)) * (sum(w * y) / sum(w)) AS cxy,
               sqrt(sum(w * noise ^ 2) / sum(w)) AS noise_sd
          FROM per_pattern GROUP BY kind
    ), line AS (
        SELECT f.*, CASE WHEN f.patterns < 5 THEN NULL
                         WHEN f.vx < 1e-9 THEN 0
                         ELSE least(3, greatest(0, f.cxy / f.vx)) END AS slope
          FROM fit f
    )
    SELECT l.kind, l.applications, l.mean_error, l.patterns, l.my - l.slope * l.mx, l.slope, l.noise_sd,
           CASE WHEN l.slope IS NOT NULL
                THEN greatest(1, sqrt((SELECT sum(pp.w * greatest(0, (pp.y - (l.my - l.slope * l.mx) - l.slope * pp.x) ^ 2
                                                                     - pp.noise ^ 2 / pp.results)) / sum(pp.w)
                                         FROM per_pattern pp WHERE pp.kind = l.kind))) END
      FROM line l;
END
$$;
COMMENT ON FUNCTION query_ml.calibrate_types(query_ml.pattern_evidence[]) IS
    'fits, per optimization type, how measured improvements follow the estimates (intercept, slope) and the spread of the patterns'' effects around that line, each recording role weighing as one';
