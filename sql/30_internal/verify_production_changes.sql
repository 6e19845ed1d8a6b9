-- Each change marked as applied in production (ml_mark_applied) becomes exactly one feedback
-- row, measured_by 'pg_stat_statements', once the captured workload holds verify_min_calls calls
-- of statements with its pattern's fingerprint on each side of the change (query_ml.production_sides).
-- The row holds the mean execution time per call
-- on each side (rows and shared blocks per call beside it), and is the marker's own.  Called by
-- ml_capture_workload and ml_refine; rows a concurrent call holds are left to it (SKIP LOCKED),
-- and a verified change is never verified again.
CREATE OR REPLACE FUNCTION query_ml.verify_production_changes()
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    enough CONSTANT bigint := query_ml.setting('verify_min_calls')::bigint;
    verified bigint;
BEGIN
    WITH pending AS MATERIALIZED (
        SELECT c.id, c.optimization_id, c.applied_at, c.marked_by
          FROM query_ml.production_changes c
         WHERE c.verified_at IS NULL
           FOR UPDATE SKIP LOCKED
    ), ready AS (
        SELECT c.optimization_id, c.applied_at, c.marked_by, b.calls AS calls_before, a.calls AS calls_after,
               b.total_exec_ms / b.calls AS ms_before, a.total_exec_ms / a.calls AS ms_after,
               b.rows::double precision / b.calls AS rows_before, a.rows::double precision / a.calls AS rows_after,
               b.shared_blks_hit::double precision / b.calls AS hit_before, a.shared_blks_hit::double precision / a.calls AS hit_after,
               b.shared_blks_read::double precision / b.calls AS read_before, a.shared_blks_read::double precision / a.calls AS read_after
          FROM pending c
          JOIN query_ml.production_sides b ON b.change_id = c.id AND NOT b.after
          JOIN query_ml.production_sides a ON a.change_id = c.id AND a.after
         WHERE b.calls >= enough AND a.calls >= enough
    ), stored AS (
        -- To the microsecond, as psql shows times, and within the columns' ranges.
        INSERT INTO query_ml.feedback AS f (optimization_id, before_execution_ms, after_execution_ms, before_rows,
                                            after_rows, before_shared_hit, before_shared_read, after_shared_hit,
                                            after_shared_read, measured_by, applied_at, submitted_by, comment)
        SELECT r.optimization_id, least(greatest(query_ml.shown_ms(r.ms_before), 0.001), 86400000),
               least(query_ml.shown_ms(r.ms_after), 86400000),
               round(r.rows_before), round(r.rows_after), round(r.hit_before), round(r.read_before),
               round(r.hit_after), round(r.read_after), 'pg_stat_statements', r.applied_at, r.marked_by,
               format('verified in production: %s calls before, %s after', r.calls_before, r.calls_after)
          FROM ready r
        RETURNING f.id, f.optimization_id
    )
    UPDATE query_ml.production_changes c SET verified_at = now(), feedback_id = s.id
      FROM stored s WHERE c.optimization_id = s.optimization_id;
    GET DIAGNOSTICS verified = ROW_COUNT;
    RETURN verified;
END
$$;
COMMENT ON FUNCTION query_ml.verify_production_changes() IS
    'stores one feedback row (measured_by pg_stat_statements) for each change marked as applied in production whose captured workload has verify_min_calls calls on each side';
