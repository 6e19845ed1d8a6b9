-- Reads the maintained per-pattern sums, never the feedback rows: its cost follows the number
-- of patterns, not of feedback.  It adds the shards up in one pass over query_ml.pattern_stats,
-- not pattern by pattern as query_ml.pattern_totals does.  PL/pgSQL, so that its plan is made
-- once per session.
CREATE OR REPLACE FUNCTION @extschema@.ml_accuracy(patterns integer DEFAULT 10)
RETURNS TABLE (level text, key text, applications bigint, accuracy double precision, within_10 double precision,
               mean_error double precision, mean_abs_error double precision)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF patterns < 0 THEN
        RAISE EXCEPTION 'query_ml: patterns must not be negative, not %', patterns
            USING ERRCODE = 'invalid_parameter_value', HINT = 'NULL lists every pattern; 0 none.';
    END IF;
    RETURN QUERY
    WITH sums AS MATERIALIZED (
        SELECT s.pattern_id, p.optimization_type AS kind, query_ml.source_label(src.name, p.dialect) AS source,
               sum(s.applications) AS n, sum(s.sum_accuracy) AS acc, sum(s.within_10) AS w10,
               sum(s.sum_estimated) AS est, sum(s.sum_actual) AS act, sum(s.sum_abs_error) AS abs_err
          FROM query_ml.pattern_stats s
          JOIN query_ml.patterns p ON p.id = s.pattern_id
          LEFT JOIN query_ml.sources src ON src.id = p.source_id
         GROUP BY s.pattern_id, p.optimization_type, 3
        HAVING sum(s.applications) > 0
    ), levels AS (
        SELECT 1 AS rank, 'overall' AS level, 'all' AS key, sum(n) AS n, sum(acc) AS acc, sum(w10) AS w10,
               sum(est) AS est, sum(act) AS act, sum(abs_err) AS abs_err FROM sums HAVING count(*) > 0
        UNION ALL
        SELECT 2, 'type', kind, sum(n), sum(acc), sum(w10), sum(est), sum(act), sum(abs_err) FROM sums GROUP BY kind
        UNION ALL
        SELECT 3, 'source', source, sum(n), sum(acc), sum(w10), sum(est), sum(act), sum(abs_err) FROM sums GROUP BY source
        UNION ALL
        (SELECT 4, 'pattern', pattern_id::text, n, acc, w10, est, act, abs_err FROM sums
          ORDER BY n DESC, pattern_id LIMIT patterns)
    )
    SELECT l.level, l.key, l.n::bigint, query_ml.shown_fraction(l.acc / l.n), query_ml.shown_fraction(l.w10 / l.n),
           query_ml.shown_percent(query_ml.mean_error(l.est, l.act, l.n)), query_ml.shown_percent(l.abs_err / l.n)
      FROM levels l
     ORDER BY l.rank, l.n DESC, l.key;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_accuracy(integer) IS
    'estimation accuracy overall, by optimization type, by source and by pattern (the most applied, or all with NULL): mean of 1 - min(1, |measured - estimated| / max(|estimated|, 1)), share within 10 points, mean signed and absolute error, rounded for reading; read from the maintained sums';
