-- For some patterns: the recent evidence, then the expected improvement and the score.
--   recent_*: the pattern's latest results (about 10 half-lives of them), the k-th latest
--     weighted 0.5^(k / recency_half_life), so that a change of behaviour outweighs the past
--     within a few applications;
--   calibrated_improvement, calibrated_sd: the posterior of the pattern's effect, its prior the
--     type's line at its estimate (query_ml.type_prior), its evidence all its results, or the
--     recent ones when they depart from all of them by more than chance explains;
--   score: the probability that the effect, as the recent results show it, clears
--     success_min_improvement; NULL without results, so a pattern is suggested only on evidence.
CREATE OR REPLACE FUNCTION query_ml.calibrate_patterns(pattern_ids bigint[], stats_version bigint)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    half_life CONSTANT double precision := query_ml.setting('recency_half_life')::double precision;
    depth CONSTANT integer := least(200, ceil(10 * half_life))::integer;
    updated bigint;
BEGIN
    WITH latest AS (
        -- Each optimization's latest results through feedback_recent_idx, in order and cut early,
        -- then the pattern's latest among them.
        SELECT x.id, x.y, 0.5 ^ ((x.k - 1) / half_life) AS w
          FROM (SELECT o.pattern_id AS id, r.actual_improvement::double precision AS y,
                       row_number() OVER (PARTITION BY o.pattern_id ORDER BY r.applied_at DESC, r.fid DESC) AS k
                  FROM query_ml.optimizations o
                 CROSS JOIN LATERAL (
                       SELECT f.actual_improvement, f.applied_at, f.id AS fid
                         FROM query_ml.feedback f
                        WHERE f.optimization_id = o.id
                        ORDER BY f.applied_at DESC, f.id DESC
                        LIMIT depth) r
                 WHERE o.pattern_id = ANY (pattern_ids)) x
         WHERE x.k <= depth
    ), recent AS (
        -- One pass: the weighted variance as E[y^2] - E[y]^2 (a join back to the rows was quadratic).
        SELECT l.id, sum(l.w) AS weight, sum(l.w * l.y) / sum(l.w) AS mean,
               greatest(0, sum(l.w * l.y * l.y) / sum(l.w) - (sum(l.w * l.y) / sum(l.w)) ^ 2) AS variance,
               sum(l.w * (l.y < t.regression)::integer) / sum(l.w) AS regression_share
          FROM latest l CROSS JOIN query_ml.thresholds() t
         GROUP BY l.id
    ), evidence AS (
        -- All the results, unless the recent ones depart from them by more than chance explains
        -- (three standard errors): then only the recent ones, so a change counts at once and a
        -- steady pattern keeps the precision of all its results.
        SELECT q.id, q.optimization_type, r.weight, r.mean, r.regression_share, r.variance,
               CASE WHEN changed.yes THEN r.weight ELSE t.applications END AS n,
               CASE WHEN changed.yes THEN r.mean ELSE t.mean_improvement END AS y,
               d.intercept + d.slope * e.estimate AS prior, d.effect_sd, d.noise_sd
          FROM query_ml.patterns q
          JOIN query_ml.pattern_totals t ON t.pattern_id = q.id
          LEFT JOIN recent r ON r.id = q.id
         CROSS JOIN LATERAL query_ml.type_prior(q.optimization_type) d
         CROSS JOIN LATERAL (SELECT abs(r.mean - t.mean_improvement) > 3 * d.noise_sd / sqrt(r.weight) AS yes) changed
         CROSS JOIN LATERAL (SELECT avg(o.estimated_improvement)::double precision AS estimate
                               FROM query_ml.optimizations o WHERE o.pattern_id = q.id) e
         WHERE q.id = ANY (pattern_ids)
    ), posterior AS (
        -- The expected improvement from the evidence above; the score from the recent evidence
        -- alone, so that suggestions follow a change within a few applications.
        SELECT b.*, query_ml.posterior_mean(b.prior, b.effect_sd, b.noise_sd, b.n, b.y) AS mu,
               query_ml.posterior_sd(b.effect_sd, b.noise_sd, b.n) AS sd,
               query_ml.posterior_mean(b.prior, b.effect_sd, b.noise_sd, b.weight, b.mean) AS recent_mu,
               query_ml.posterior_sd(b.effect_sd, b.noise_sd, b.weight) AS recent_sd
          FROM evidence b
    )
    UPDATE query_ml.patterns p
       SET recent_mean = c.mean, recent_weight = c.weight, recent_variance = c.variance,
           recent_regression_share = c.regression_share,
           calibrated_improvement = coalesce(c.mu, c.y), calibrated_sd = c.sd,
           score = CASE WHEN c.weight > 0
                        THEN query_ml.clearing_probability(coalesce(c.recent_mu, c.mean), c.recent_sd,
                                                           t.success::double precision) END,
           refined_version = stats_version, refined_at = now()
      FROM posterior c CROSS JOIN query_ml.thresholds() t
     WHERE p.id = c.id;
    GET DIAGNOSTICS updated = ROW_COUNT;
    RETURN updated;
END
$$;
COMMENT ON FUNCTION query_ml.calibrate_patterns(bigint[], bigint) IS
    'weighs the recent results of some patterns and sets their expected improvement (with its spread) and their score';
