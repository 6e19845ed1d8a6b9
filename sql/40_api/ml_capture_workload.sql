-- A compact snapshot of this database's pg_stat_statements (README, "Workload"): per queryid,
-- all users summed, its fingerprint, counters, and what they gained since the previous capture.
-- A delta is never negative:
--   * after pg_stat_statements_reset() (pg_stat_statements_info.stats_reset changed, as it does
--     when a crash loses the counters) every entry counts from zero, over the interval since
--     the reset;
--   * an entry whose counters went down was deallocated and created again, or reset alone: it
--     counts from zero;
--   * an entry first seen counts from zero; one deallocated since is forgotten.
-- Only statements called in the interval are stored.  Then captures older than
-- workload_retention_days go, and changes marked as applied in production are verified
-- (query_ml.verify_production_changes).  SECURITY DEFINER: a capture sees every statement, and
-- keeps no text (query_ml.statement_fingerprints).  One capture at a time.  It reads the counters
-- without the texts (pg_stat_statements(false)): only new statements' texts are read, to be parsed.
CREATE OR REPLACE FUNCTION @extschema@.ml_capture_workload()
RETURNS TABLE (capture_id bigint, statements integer, calls bigint, new_statements integer, counted_from_zero integer,
               verified bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- Its statements' estimated costs pass jit_above_cost while they run in milliseconds: JIT
-- compilation would cost more than it saves (300 ms of a 0.5 s refinement, DEVELOPERS.md).
SET jit = off
AS $$
DECLARE
    pgss CONSTANT text := query_ml.stat_statements();
    previous record;
    info record;
    capture bigint;
    since timestamptz;
    reset boolean;
    figures record;
    kept bigint[];
BEGIN
    PERFORM pg_advisory_xact_lock(7149027412);
    SELECT c.id, c.captured_at, c.stats_reset INTO previous FROM query_ml.workload_captures c ORDER BY c.id DESC LIMIT 1;
    EXECUTE format('SELECT i.stats_reset, i.dealloc FROM %s.pg_stat_statements_info i', pgss) INTO info;
    reset := previous.id IS NULL OR info.stats_reset IS DISTINCT FROM previous.stats_reset;
    since := CASE WHEN reset THEN coalesce(info.stats_reset, '-infinity') ELSE previous.captured_at END;
    INSERT INTO query_ml.workload_captures (stats_reset, deallocations, statements, calls)
    VALUES (info.stats_reset, info.dealloc, 0, 0)
    RETURNING id INTO capture;

    EXECUTE format($sql$
        CREATE TEMP TABLE query_ml_capture ON COMMIT DROP AS
        SELECT s.userid, s.queryid, s.toplevel, s.calls, s.total_exec_time AS total_exec_ms, s.rows,
               s.shared_blks_hit, s.shared_blks_read
          FROM %s.pg_stat_statements(false) s
         WHERE s.dbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
           AND s.queryid IS NOT NULL AND s.toplevel
    $sql$, pgss);

    -- Only statements whose fingerprint may be kept: a utility statement holding a value is
    -- left out whole (query_ml.statement_fingerprints).
    kept := ARRAY(SELECT f.queryid FROM query_ml.statement_fingerprints(
                      ARRAY(SELECT DISTINCT x.queryid FROM query_ml_capture x)) f);
    DELETE FROM query_ml_capture c WHERE NOT EXISTS (SELECT FROM unnest(kept) AS k (queryid) WHERE k.queryid = c.queryid);
    WITH counted AS (
        SELECT c.*, p.userid IS NULL AS new,
               reset OR p.userid IS NULL OR c.calls < p.calls OR c.total_exec_ms < p.total_exec_ms OR c.rows < p.rows
                     OR c.shared_blks_hit < p.shared_blks_hit OR c.shared_blks_read < p.shared_blks_read AS from_zero,
               p.calls AS p_calls, p.total_exec_ms AS p_total, p.rows AS p_rows, p.shared_blks_hit AS p_hit,
               p.shared_blks_read AS p_read
          FROM query_ml_capture c
          LEFT JOIN query_ml.workload_counters p
            ON p.userid = c.userid AND p.queryid = c.queryid AND p.toplevel = c.toplevel
    ), per_query AS (
        SELECT k.queryid, sum(k.calls)::bigint AS calls, sum(k.total_exec_ms) AS total_exec_ms,
               sum(k.rows)::bigint AS rows, sum(k.shared_blks_hit)::bigint AS hit, sum(k.shared_blks_read)::bigint AS read,
               sum(CASE WHEN k.from_zero THEN k.calls ELSE k.calls - k.p_calls END)::bigint AS calls_delta,
               sum(CASE WHEN k.from_zero THEN k.total_exec_ms ELSE k.total_exec_ms - k.p_total END) AS total_delta,
               sum(CASE WHEN k.from_zero THEN k.rows ELSE k.rows - k.p_rows END)::bigint AS rows_delta,
               sum(CASE WHEN k.from_zero THEN k.shared_blks_hit ELSE k.shared_blks_hit - k.p_hit END)::bigint AS hit_delta,
               sum(CASE WHEN k.from_zero THEN k.shared_blks_read ELSE k.shared_blks_read - k.p_read END)::bigint AS read_delta,
               bool_and(k.new) AS new, bool_or(k.from_zero AND NOT k.new) AS from_zero
          FROM counted k
         GROUP BY k.queryid
    ), called AS MATERIALIZED (
        SELECT q.* FROM per_query q WHERE q.calls_delta > 0
    ), stored AS (
        INSERT INTO query_ml.workload_snapshots AS w (capture_id, queryid, fingerprint, since, calls, total_exec_ms,
                                                     rows, shared_blks_hit, shared_blks_read, calls_delta,
                                                     total_exec_ms_delta, rows_delta, shared_blks_hit_delta,
                                                     shared_blks_read_delta)
        SELECT capture, q.queryid, f.fingerprint, since, q.calls, q.total_exec_ms, q.rows, q.hit, q.read, q.calls_delta,
               q.total_delta, q.rows_delta, q.hit_delta, q.read_delta
          FROM called q
          LEFT JOIN query_ml.workload_statements f ON f.queryid = q.queryid
        RETURNING w.calls_delta
    )
    SELECT (SELECT count(*) FROM per_query)::integer AS statements,
           (SELECT coalesce(sum(s.calls_delta), 0) FROM stored s)::bigint AS calls,
           (SELECT count(*) FILTER (WHERE q.new) FROM per_query q)::integer AS new_statements,
           (SELECT count(*) FILTER (WHERE q.from_zero) FROM per_query q)::integer AS from_zero
      INTO figures;

    DELETE FROM query_ml.workload_counters;
    INSERT INTO query_ml.workload_counters (userid, queryid, toplevel, calls, total_exec_ms, rows, shared_blks_hit,
                                            shared_blks_read)
    SELECT c.userid, c.queryid, c.toplevel, c.calls, c.total_exec_ms, c.rows, c.shared_blks_hit, c.shared_blks_read
      FROM query_ml_capture c;
    UPDATE query_ml.workload_captures c SET statements = figures.statements, calls = figures.calls WHERE c.id = capture;
    DELETE FROM query_ml.workload_captures c
     WHERE c.captured_at < now() - make_interval(days => query_ml.setting('workload_retention_days')::integer);
    -- The cache keeps what the workload still holds.
    DELETE FROM query_ml.workload_statements w
     WHERE NOT EXISTS (SELECT FROM query_ml_capture c WHERE c.queryid = w.queryid)
       AND w.first_seen < now() - interval '1 day';
    DROP TABLE query_ml_capture;
    RETURN QUERY SELECT capture, figures.statements, figures.calls, figures.new_statements, figures.from_zero,
                        query_ml.verify_production_changes();
END
$$;
COMMENT ON FUNCTION @extschema@.ml_capture_workload() IS
    'stores a compact snapshot of this database''s pg_stat_statements (fingerprint, counters and never-negative deltas per queryid), drops captures older than workload_retention_days, and verifies changes marked as applied in production';
