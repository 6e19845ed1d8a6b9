-- Where what query_ml learned saves the most time (README, "Workload"): this database's
-- statements in pg_stat_statements, each with the best suggestion for its fingerprint (the
-- first that ml_match_pattern would give among exact matches, gated alike), ranked by the
-- execution time it would save, total time x expected improvement (noted 'applied in
-- production' once a change of its pattern was marked so); then, largest total time first,
-- statements with no suggestion: 'no pattern yet', 'not suggested yet' (a pattern without the
-- evidence to pass the gate), or 'no fingerprint' (README, "Workload").  row_limit bounds each group.
-- It runs with the caller's rights, so it shows what the caller sees in pg_stat_statements: its
-- own statements, every statement with pg_read_all_stats.  The texts shown are query_ml's own
-- normalization of pg_stat_statements' texts, which keeps no literal.
CREATE OR REPLACE FUNCTION @extschema@.ml_workload_opportunities(row_limit integer DEFAULT 10, source text DEFAULT NULL,
                                                                 min_calls bigint DEFAULT 1)
RETURNS TABLE (queryid bigint, calls bigint, total_ms double precision, mean_ms double precision,
               pattern_id bigint, optimization_type text, expected_improvement double precision,
               confidence double precision, score double precision, saved_ms double precision, note text, query text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- Its statements' estimated costs pass jit_above_cost while they run in milliseconds: JIT
-- compilation would cost more than it saves (300 ms of a 0.5 s refinement, DEVELOPERS.md).
SET jit = off
AS $$
DECLARE
    shown CONSTANT integer := query_ml.checked_limit(row_limit);
    scope_id integer;
    scope_dialect text;
BEGIN
    IF min_calls IS NULL THEN
        RAISE EXCEPTION 'query_ml: min_calls must not be NULL'
            USING ERRCODE = 'null_value_not_allowed', HINT = 'Leave it out to see every statement.';
    END IF;
    IF min_calls < 1 THEN
        RAISE EXCEPTION 'query_ml: min_calls must be at least 1, not %', min_calls
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Leave it out to see every statement.';
    END IF;
    IF source IS NOT NULL THEN
        SELECT f.id, f.dialect INTO scope_id, scope_dialect FROM query_ml.find_source(source) f;
    END IF;
    RETURN QUERY EXECUTE format($sql$
        WITH statements AS MATERIALIZED (
            SELECT s.queryid, (array_agg(s.query))[1] AS query, sum(s.calls)::bigint AS calls,
                   sum(s.total_exec_time) AS total_ms
              FROM %s.pg_stat_statements s
             WHERE s.dbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
               AND s.queryid IS NOT NULL AND s.toplevel
             GROUP BY s.queryid
            HAVING sum(s.calls) >= $1
        ), shaped AS MATERIALIZED (
            SELECT st.queryid, st.query, st.calls, st.total_ms, f.fingerprint
              FROM statements st
              LEFT JOIN query_ml.statement_fingerprints((SELECT array_agg(x.queryid) FROM statements x)) f
                ON f.queryid = st.queryid
        ), best AS (
            SELECT DISTINCT ON (h.queryid) h.queryid, m.pattern_id, m.optimization_type, m.expected_improvement,
                   m.confidence, m.score
              FROM shaped h
              JOIN query_ml.pattern_matches m ON m.fingerprint = h.fingerprint
             CROSS JOIN query_ml.match_bars(NULL, NULL, false) g
             WHERE query_ml.in_scope(m.source_id, m.dialect, $2, $3)
               AND query_ml.passes_gate(m.score, m.confidence, m.expected_improvement, m.status,
                                        g.score, g.confidence, g.improvement, g.flagged_too)
             ORDER BY h.queryid, m.score DESC, m.expected_improvement DESC, m.pattern_id
        ), ranked AS (
            (SELECT h.queryid, h.query, h.calls, h.total_ms, b.pattern_id, b.optimization_type, b.expected_improvement,
                    b.confidence, b.score, h.total_ms * b.expected_improvement / 100 AS saved_ms,
                    CASE WHEN EXISTS (SELECT FROM query_ml.production_changes c JOIN query_ml.optimizations o
                                          ON o.id = c.optimization_id WHERE o.pattern_id = b.pattern_id)
                         THEN 'applied in production' END AS note,
                    1 AS part
               FROM shaped h JOIN best b ON b.queryid = h.queryid
              ORDER BY saved_ms DESC, h.queryid
              LIMIT $4)
            UNION ALL
            (SELECT h.queryid, h.query, h.calls, h.total_ms, NULL, NULL, NULL, NULL, NULL, NULL,
                    CASE WHEN h.fingerprint IS NULL THEN 'no fingerprint'
                         WHEN EXISTS (SELECT FROM query_ml.patterns p WHERE p.fingerprint = h.fingerprint
                                         AND query_ml.in_scope(p.source_id, p.dialect, $2, $3))
                         THEN 'not suggested yet' ELSE 'no pattern yet' END, 2
               FROM shaped h
              WHERE NOT EXISTS (SELECT FROM best b WHERE b.queryid = h.queryid)
              ORDER BY h.total_ms DESC, h.queryid
              LIMIT $4)
        ), ordered AS (
            SELECT r.*, row_number() OVER (ORDER BY r.part, r.saved_ms DESC NULLS LAST, r.total_ms DESC, r.queryid) AS i
              FROM ranked r
        )
        SELECT o.queryid, o.calls, query_ml.shown_ms(o.total_ms), query_ml.shown_ms(o.total_ms / nullif(o.calls, 0)),
               o.pattern_id, o.optimization_type, query_ml.shown_percent(o.expected_improvement),
               query_ml.shown_fraction(o.confidence), query_ml.shown_fraction(o.score), query_ml.shown_ms(o.saved_ms),
               o.note, n.normalized
          FROM ordered o
          LEFT JOIN unnest(query_ml.shown_texts((SELECT array_agg(x.query ORDER BY x.i) FROM ordered x)))
               WITH ORDINALITY AS n (normalized, i) ON n.i = o.i
         ORDER BY o.i
    $sql$, query_ml.stat_statements())
    USING min_calls, scope_id, scope_dialect, shown;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_workload_opportunities(integer, text, bigint) IS
    'this database''s statements in pg_stat_statements (those the caller may see) with the best suggestion for each, ranked by the execution time it would save (total time x expected improvement), then the largest with no pattern yet; texts normalized again, without literals';
