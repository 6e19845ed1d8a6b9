-- The reference: every pattern statistic summed afresh from the feedback rows.  Written apart
-- from the trigger (query_ml.feedback_stats) on purpose, so that ml_check_stats tests one
-- against the other.
CREATE OR REPLACE FUNCTION query_ml.recomputed_totals(pattern_ids bigint[] DEFAULT NULL)
RETURNS SETOF query_ml.stats_delta
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    success numeric;
    regression numeric;
BEGIN
    SELECT t.success, t.regression INTO success, regression FROM query_ml.thresholds() t;
    RETURN QUERY
        SELECT o.pattern_id, count(*), count(*) FILTER (WHERE f.actual_improvement >= success),
               count(*) FILTER (WHERE f.actual_improvement < regression),
               sum(f.actual_improvement), sum(o.estimated_improvement),
               sum(abs(o.estimated_improvement - f.actual_improvement)),
               sum(query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement)),
               count(*) FILTER (WHERE abs(o.estimated_improvement - f.actual_improvement) <= 10),
               coalesce(sum(f.rating), 0), count(f.rating), min(f.applied_at), max(f.applied_at)
          FROM query_ml.feedback f JOIN query_ml.optimizations o ON o.id = f.optimization_id
         WHERE pattern_ids IS NULL OR o.pattern_id = ANY (pattern_ids)
         GROUP BY o.pattern_id;
END
$$;
COMMENT ON FUNCTION query_ml.recomputed_totals(bigint[]) IS
    'every statistic of some patterns (NULL: all) summed afresh from their feedback rows';
