-- Per optimization type, from the maintained sums and the patterns' recent variances (no pass
-- over the feedback rows, so an incremental refinement stays cheap):
--   measured ~ intercept + slope x estimate, a least-squares line over the type's patterns, each
--     weighted by its applications: how much the estimates carry, in offset and in scale;
--   noise_sd, the spread of one result around its pattern's effect (the patterns' recent
--     variances, pooled);
--   effect_sd, the spread of the patterns' effects around the line (their means' spread, less
--     what the noise explains).  noise_sd^2 / effect_sd^2 is how many results a pattern needs
--     to outweigh its calibrated estimate.
-- With fewer than 5 patterns with feedback, the defaults of query_ml.type_prior stand (the
-- identity line; effect_sd from the calibration_strength setting).
CREATE OR REPLACE FUNCTION query_ml.calibrate_types()
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM query_ml.type_calibration;     -- from here on, type_prior gives the defaults
    INSERT INTO query_ml.type_calibration (optimization_type, applications, mean_error, patterns, intercept, slope,
                                           noise_sd, effect_sd)
    WITH per_pattern AS (
        SELECT p.optimization_type AS kind, t.applications::double precision AS n,
               (t.sum_estimated / t.applications)::double precision AS x,
               (t.sum_actual / t.applications)::double precision AS y,
               t.sum_estimated, t.sum_actual, p.recent_variance, p.recent_weight
          FROM query_ml.pattern_totals t JOIN query_ml.patterns p ON p.id = t.pattern_id
         WHERE t.applications > 0
    ), fit AS (
        SELECT kind, sum(n)::bigint AS applications, count(*) AS patterns,
               query_ml.mean_error(sum(sum_estimated), sum(sum_actual), sum(n)::numeric) AS mean_error,
               sum(n * x) / sum(n) AS mx, sum(n * y) / sum(n) AS my,
               sum(n * x * x) / sum(n) - (sum(n * x) / sum(n)) ^ 2 AS vx,
               sum(n * x * y) / sum(n) - (sum(n * x) / sum(n)) * (sum(n * y) / sum(n)) AS cxy,
               sqrt(sum(recent_variance * recent_weight) FILTER (WHERE recent_weight >= 2)
                    / nullif(sum(recent_weight) FILTER (WHERE recent_weight >= 2), 0)) AS pooled_sd
          FROM per_pattern GROUP BY kind
    ), line AS (
        SELECT f.*, d.intercept AS default_intercept, d.slope AS default_slope, d.effect_sd AS default_effect_sd,
               greatest(coalesce(f.pooled_sd, d.noise_sd), 1) AS noise_sd,
               CASE WHEN f.patterns < 5 THEN d.slope
                    WHEN f.vx < 1e-9 THEN 0
                    ELSE least(3, greatest(0, f.cxy / f.vx)) END AS slope
          FROM fit f CROSS JOIN LATERAL query_ml.type_prior(f.kind) d
    )
    SELECT l.kind, l.applications, l.mean_error, l.patterns,
           CASE WHEN l.patterns < 5 THEN l.default_intercept ELSE l.my - l.slope * l.mx END, l.slope, l.noise_sd,
           CASE WHEN l.patterns < 5 THEN l.default_effect_sd
                ELSE greatest(1, sqrt(greatest(0, (SELECT avg((pp.y - (l.my - l.slope * l.mx) - l.slope * pp.x) ^ 2
                                                               - l.noise_sd ^ 2 / pp.n)
                                                     FROM per_pattern pp WHERE pp.kind = l.kind)))) END
      FROM line l;
END
$$;
COMMENT ON FUNCTION query_ml.calibrate_types() IS
    'fits, per optimization type, how measured improvements follow the estimates (intercept, slope), the noise of one result and the spread of the patterns'' effects';
