-- For some patterns, their evidence, from their latest results (latest by applied_at, but never
-- later than their arrival, created_at, so that a row dated ahead cannot stay the latest), each
-- counted within query_ml.learning_value:
--   recent_*: about 10 half-lives of them, the k-th latest weighted 0.5^(k / recency_half_life),
--     so that a change of behaviour outweighs the past within a few applications;
--   typical_*: the latest 100, as their winsorized mean (each result held within the 20th and
--     80th percentiles of them): measurements of query times have heavy tails, and one outlier
--     must not move a pattern's expected improvement as it moves a plain mean; with the spread
--     of one result, from the steps between successive results;
--   bounded_mean: their plain mean, which a real tail of regressions does move (the score reads
--     it: a pattern that loses time on average is not suggested, however typical its gains).
-- ml_refine weighs before it fits the types, which pool these variances, so that a run learns
-- from this run's evidence alone.
CREATE OR REPLACE FUNCTION query_ml.weigh_recent(pattern_ids bigint[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    half_life CONSTANT double precision := query_ml.setting('recency_half_life')::double precision;
    depth CONSTANT integer := least(200, ceil(10 * half_life))::integer;
    typical CONSTANT integer := greatest(100, depth);
BEGIN
    WITH latest AS MATERIALIZED (
        -- Each optimization's latest results through feedback_recent_idx, in order and cut early,
        -- then the pattern's latest among them.
        SELECT x.id, x.y, x.k, 0.5 ^ ((x.k - 1) / half_life) AS w
          FROM (SELECT o.pattern_id AS id, query_ml.learning_value(r.actual_improvement::double precision) AS y,
                       row_number() OVER (PARTITION BY o.pattern_id ORDER BY r.at DESC, r.fid DESC) AS k
                  FROM query_ml.optimizations o
                 CROSS JOIN LATERAL (
                       SELECT f.actual_improvement, least(f.applied_at, f.created_at) AS at, f.id AS fid
                         FROM query_ml.feedback f
                        WHERE f.optimization_id = o.id
                        ORDER BY least(f.applied_at, f.created_at) DESC, f.id DESC
                        LIMIT typical) r
                 WHERE o.pattern_id = ANY (pattern_ids)) x
         WHERE x.k <= typical
    ), recent AS (
        -- One pass: the weighted variance as E[y^2] - E[y]^2 (a join back to the rows was quadratic).
        SELECT l.id, sum(l.w) AS weight, sum(l.w * l.y) / sum(l.w) AS mean,
               greatest(0, sum(l.w * l.y * l.y) / sum(l.w) - (sum(l.w * l.y) / sum(l.w)) ^ 2) AS variance,
               sum(l.w * (l.y < t.regression)::integer) / sum(l.w) AS regression_share
          FROM latest l CROSS JOIN query_ml.thresholds() t
         WHERE l.k <= depth
         GROUP BY l.id
    ), bounds AS (
        SELECT l.id, count(*) AS n, percentile_cont(0.2) WITHIN GROUP (ORDER BY l.y) AS low,
               percentile_cont(0.8) WITHIN GROUP (ORDER BY l.y) AS high
          FROM latest l GROUP BY l.id
    ), steps AS (
        -- The spread of one result, from the differences between successive results: their
        -- median over 0.954 (for normal noise, the median |y_k - y_k+1| is 0.954 sd).  A change
        -- of behaviour is one large step among many, and an outlier two: neither inflates it.
        SELECT d.id, percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(d.step)) / 0.954 AS spread
          FROM (SELECT l.id, l.y - lead(l.y) OVER (PARTITION BY l.id ORDER BY l.k) AS step FROM latest l) d
         WHERE d.step IS NOT NULL
         GROUP BY d.id
    ), typical AS (
        -- The winsorized mean, beside the plain mean.
        SELECT b.id, b.n, avg(least(b.high, greatest(b.low, l.y))) AS mean, avg(l.y) AS plain
          FROM bounds b JOIN latest l ON l.id = b.id
         GROUP BY b.id, b.n
    )
    UPDATE query_ml.patterns p
       SET recent_mean = r.mean, recent_weight = r.weight, recent_variance = r.variance,
           recent_regression_share = r.regression_share, typical_mean = y.mean, typical_count = y.n,
           typical_spread = d.spread, bounded_mean = y.plain
      FROM (SELECT q.id FROM query_ml.patterns q WHERE q.id = ANY (pattern_ids)) q
      LEFT JOIN recent r ON r.id = q.id
      LEFT JOIN typical y ON y.id = q.id
      LEFT JOIN steps d ON d.id = q.id
     WHERE p.id = q.id;
END
$$;
COMMENT ON FUNCTION query_ml.weigh_recent(bigint[]) IS
    'sets the evidence of some patterns: the weighted mean, weight, variance and regression share of their recent results, and the winsorized mean of their latest 100';
