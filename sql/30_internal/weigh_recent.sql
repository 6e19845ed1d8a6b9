-- For some patterns, their evidence, from their latest results (latest by applied_at, but never
-- later than their arrival, created_at, so that a row dated ahead cannot stay the latest), each
-- counted within query_ml.learning_value:
--   typical_*: the latest 60, as a Student-t (3 d.f.) location estimate (query_ml.student_weight,
--     one reweighting step from their median, the scale that of one result,
--     query_ml.pattern_noise, over 1.134, which turns a spread measured as for normal noise into
--     the t scale): measurements of query times have heavy tails, and one outlier must not move a
--     pattern's expected improvement as it moves a plain mean; with the spread of one result, from
--     the steps between successive results;
--   recent_*: about 10 half-lives of them, the k-th latest weighted 0.5^(k / recency_half_life),
--     so that a change of behaviour outweighs the past within a few applications;
--     recent_departure, their weighted departure from the typical result, each held within 4
--     scales of it: the change test (query_ml.calibrate_patterns) reads it, so that one outlier
--     among the few recent results is not taken for a change while three results of a new
--     behaviour are;
--   bounded_mean: their plain mean, each result as measured (not bounded), which a tail of
--     regressions moves as much as the time they cost (the score reads it: a pattern that loses
--     time on average is not suggested, however typical its gains).
-- One row per id, NULL figures for a pattern without results.  ml_refine weighs before it fits the
-- types, which pool these variances, so that a run learns from this run's evidence alone; it
-- writes the evidence with the calibration (query_ml.calibrate_patterns), each row once.
CREATE OR REPLACE FUNCTION query_ml.weigh_recent(pattern_ids bigint[])
RETURNS SETOF query_ml.pattern_evidence
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    half_life CONSTANT double precision := query_ml.setting('recency_half_life')::double precision;
    depth CONSTANT integer := least(200, ceil(10 * half_life))::integer;
    typical CONSTANT integer := greatest(60, depth);     -- plenty for a steady pattern, and cheap to read
    regression CONSTANT double precision := (SELECT t.regression FROM query_ml.thresholds() t);
BEGIN
    RETURN QUERY
    WITH per_pattern AS (
        -- Per pattern, its own rows only (no sort or grouping of every pattern's rows together:
        -- at 1M rows those spilled to disk): each optimization's latest results, read from
        -- feedback_recent_idx alone, in order and cut early; the pattern's latest among them, each
        -- with its step from the one before; then one pass over them for the recent weighted
        -- figures (the variance as E[y^2] - E[y]^2), the median that starts the typical estimate,
        -- the plain mean of the results as measured, and the spread of one result from the steps
        -- between successive results: their median over 0.954 (for normal noise, the median
        -- |y_k - y_k+1| is 0.954 sd).  A change of behaviour is one large step among many, and an
        -- outlier two: neither inflates it.
        SELECT q.id, a.*
          FROM unnest(pattern_ids) AS q (id)
          LEFT JOIN LATERAL (
               SELECT count(*) AS n, avg(l.raw) AS plain,
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY l.y) AS middle,
                      array_agg(l.y ORDER BY l.k) AS ys,
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(l.step)) FILTER (WHERE l.k < typical) / 0.954 AS spread,
                      sum(l.w) FILTER (WHERE l.k <= depth) AS weight,
                      sum(l.w * l.y) FILTER (WHERE l.k <= depth) / sum(l.w) FILTER (WHERE l.k <= depth) AS mean,
                      sum(l.w * l.y * l.y) FILTER (WHERE l.k <= depth) / sum(l.w) FILTER (WHERE l.k <= depth) AS square,
                      sum(l.w * (l.y < regression)::integer) FILTER (WHERE l.k <= depth)
                          / sum(l.w) FILTER (WHERE l.k <= depth) AS regression_share
                 FROM (SELECT x.y, x.raw, x.k, x.step, query_ml.recency_weight(x.k, half_life) AS w
                         FROM (SELECT r.y, r.raw, row_number() OVER latest_first AS k,
                                      r.y - lead(r.y) OVER latest_first AS step
                                 FROM query_ml.optimizations o
                                CROSS JOIN LATERAL (
                                      SELECT query_ml.learning_value(f.actual_improvement::double precision) AS y,
                                             f.actual_improvement::double precision AS raw,
                                             least(f.applied_at, f.created_at) AS at, f.id AS fid
                                        FROM query_ml.feedback f
                                       WHERE f.optimization_id = o.id
                                       ORDER BY least(f.applied_at, f.created_at) DESC, f.id DESC
                                       LIMIT typical) r
                                WHERE o.pattern_id = q.id
                               WINDOW latest_first AS (ORDER BY r.at DESC, r.fid DESC)) x
                        WHERE x.k <= typical) l
               HAVING count(*) > 0) a ON true
    ), typical AS (
        -- Per pattern, over its own results (arrays, no join): the typical result, one
        -- reweighting step from their median (a one-step estimate, query_ml.student_weight: two or
        -- three steps changed the learning report's figures by under 0.01), then the recent results'
        -- departure from it, each held within 4 scales.
        SELECT b.*, t1.c AS centre,
               (SELECT sum(query_ml.recency_weight(u.k, half_life) * least(4 * b.scale, greatest(-4 * b.scale, u.y - t1.c)))
                       / sum(query_ml.recency_weight(u.k, half_life))
                  FROM unnest(b.ys[1:depth]) WITH ORDINALITY AS u (y, k)) AS shift
          FROM (SELECT p.*, query_ml.pattern_noise(p.n::integer, p.spread) / 1.134 AS scale FROM per_pattern p) b
          LEFT JOIN LATERAL (SELECT sum(u.y * query_ml.student_weight(u.y, b.middle, b.scale))
                                    / sum(query_ml.student_weight(u.y, b.middle, b.scale)) AS c
                               FROM unnest(b.ys) AS u (y)) t1 ON true
    )
    -- One chain from the ids (a join of two sets of these patterns was planned as a nested loop
    -- over both, the planner guessing 10 ids).
    SELECT b.id, b.centre, b.n::integer, b.spread, b.plain, b.mean, b.shift, b.weight,
           greatest(0, b.square - b.mean ^ 2), b.regression_share
      FROM typical b;
END
$$;
COMMENT ON FUNCTION query_ml.weigh_recent(bigint[]) IS
    'the evidence of some patterns: the weighted mean, weight, variance and regression share of their recent results, their departure from the typical result, and the Student-t location estimate of their latest 60';
