-- For some patterns, once query_ml.weigh_recent has weighed their results and
-- query_ml.calibrate_types has fitted the types: writes their evidence with the expected
-- improvement and the score, each row once (README, "Gating").
--   evidence: the typical results (the Student-t location estimate of the latest 60), unless the
--     recent ones depart from them by more than chance explains (three standard errors of their
--     bounded departure, recent_departure): then only the
--     recent ones, so that a change counts at once and a steady pattern keeps the precision of
--     many results;
--   noise: the spread of one of the pattern's own results (query_ml.pattern_noise);
--   calibrated_improvement, calibrated_sd: the posterior of the effect, its prior the type's line
--     (query_ml.type_prior) at the pattern's estimate (query_ml.pattern_estimates), with the
--     evidence above; after a change,
--     the recent evidence alone, since the estimate was made for the behaviour that changed;
--   score: the lower of two probabilities that the effect clears success_min_improvement, from
--     that posterior and from the results alone (their plain mean as measured, a flat prior; after
--     a change, the recent mean less what the tail of the latest 60 costs): a pattern is
--     suggested only when its own results make it likely, on average and not only typically, and
--     the calibration agrees.  NULL without results.
CREATE OR REPLACE FUNCTION query_ml.calibrate_patterns(weighed query_ml.pattern_evidence[], stats_version bigint)
RETURNS bigint[]
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    updated bigint[];
BEGIN
    WITH rows AS MATERIALIZED (
        -- Each row locked before it is read, so that what is worked out from it is what is written;
        -- a row another session holds (its description, status or type being changed, in a
        -- transaction that may then write feedback this run's buckets hold back) is left for the
        -- next run instead of waited for (found by the red team: that wait deadlocked).
        SELECT r.id, r.optimization_type FROM query_ml.patterns r
         WHERE r.id IN (SELECT w.pattern_id FROM unnest(weighed) w)
           FOR NO KEY UPDATE SKIP LOCKED
    ), priors AS MATERIALIZED (
        -- Once per type, joined by hash: per pattern, a lateral call costs a lookup each.
        SELECT y.name AS optimization_type, d.* FROM query_ml.optimization_types y
         CROSS JOIN LATERAL query_ml.type_prior(y.name) d
    ), evidence AS (
        SELECT q.*, changed.yes AS changed,
               CASE WHEN changed.yes THEN q.recent_weight ELSE q.typical_count END AS n,
               CASE WHEN changed.yes THEN q.recent_mean ELSE q.typical_mean END AS y,
               -- After a change the recent results stand for the pattern, but not for its tail of
               -- regressions, which they are too few to show: what the tail costs over the latest 60
               -- (their plain mean below their typical result) still counts.
               CASE WHEN changed.yes THEN q.recent_mean + least(0, q.bounded_mean - q.typical_mean)
                    ELSE q.bounded_mean END AS plain,
               d.intercept + d.slope * e.estimate AS prior, coalesce(d.effect_sd, s.noise / sqrt(d.strength)) AS effect_sd,
               s.noise
          FROM unnest(weighed) q
          JOIN rows r ON r.id = q.pattern_id
          JOIN priors d ON d.optimization_type = r.optimization_type
         CROSS JOIN LATERAL (SELECT query_ml.pattern_noise(q.typical_count, q.typical_spread) AS noise) s
         CROSS JOIN LATERAL (SELECT coalesce(abs(q.recent_departure) > 3 * s.noise / sqrt(q.recent_weight),
                                             false) AS yes) changed
         LEFT JOIN query_ml.pattern_estimates e ON e.pattern_id = q.pattern_id
    ), posterior AS (
        SELECT b.*,
               CASE WHEN b.changed THEN b.y ELSE query_ml.posterior_mean(b.prior, b.effect_sd, b.noise, b.n, b.y) END AS mu,
               CASE WHEN b.changed THEN b.noise / sqrt(b.n) ELSE query_ml.posterior_sd(b.effect_sd, b.noise, b.n) END AS sd
          FROM evidence b
    ), written AS (
        UPDATE query_ml.patterns p
           SET typical_mean = c.typical_mean, typical_count = c.typical_count, typical_spread = c.typical_spread,
               bounded_mean = c.bounded_mean, recent_mean = c.recent_mean, recent_departure = c.recent_departure,
               recent_weight = c.recent_weight, recent_variance = c.recent_variance,
               recent_regression_share = c.recent_regression_share,
               calibrated_improvement = coalesce(c.mu, c.y), calibrated_sd = c.sd,
               score = CASE WHEN c.recent_weight > 0
                            THEN least(query_ml.clearing_probability(c.mu, c.sd, t.success::double precision),
                                       query_ml.clearing_probability(c.plain, c.noise / sqrt(c.n), t.success::double precision))
                       END,
               refined_version = stats_version, refined_at = now()
          FROM posterior c CROSS JOIN query_ml.thresholds() t
         WHERE p.id = c.pattern_id
        RETURNING p.id
    )
    SELECT array_agg(w.id ORDER BY w.id) INTO updated FROM written w;
    RETURN coalesce(updated, '{}');
END
$$;
COMMENT ON FUNCTION query_ml.calibrate_patterns(query_ml.pattern_evidence[], bigint) IS
    'sets the evidence, the expected improvement (with its spread) and the score of some patterns, from their evidence and their type''s calibration; returns the ids of those it wrote';
