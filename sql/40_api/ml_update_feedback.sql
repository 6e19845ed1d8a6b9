CREATE OR REPLACE FUNCTION @extschema@.ml_update_feedback(
    feedback_id bigint, before_execution_ms double precision DEFAULT NULL, after_execution_ms double precision DEFAULT NULL,
    rating integer DEFAULT NULL, comment text DEFAULT NULL,
    before_planning_ms double precision DEFAULT NULL, after_planning_ms double precision DEFAULT NULL,
    before_rows bigint DEFAULT NULL, after_rows bigint DEFAULT NULL,
    before_shared_hit bigint DEFAULT NULL, before_shared_read bigint DEFAULT NULL,
    after_shared_hit bigint DEFAULT NULL, after_shared_read bigint DEFAULT NULL,
    applied_at timestamptz DEFAULT NULL)
RETURNS SETOF query_ml.feedback_details
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    row query_ml.feedback;
BEGIN
    -- The stored row with the values given in place of its own (NULL keeps a value), checked
    -- before it is written, so that a bad value gets a clear error rather than a CHECK violation.
    SELECT f.id, f.optimization_id,
           coalesce(ml_update_feedback.before_execution_ms, f.before_execution_ms),
           coalesce(ml_update_feedback.after_execution_ms, f.after_execution_ms),
           coalesce(ml_update_feedback.before_planning_ms, f.before_planning_ms),
           coalesce(ml_update_feedback.after_planning_ms, f.after_planning_ms),
           coalesce(ml_update_feedback.before_rows, f.before_rows), coalesce(ml_update_feedback.after_rows, f.after_rows),
           coalesce(ml_update_feedback.before_shared_hit, f.before_shared_hit),
           coalesce(ml_update_feedback.before_shared_read, f.before_shared_read),
           coalesce(ml_update_feedback.after_shared_hit, f.after_shared_hit),
           coalesce(ml_update_feedback.after_shared_read, f.after_shared_read),
           f.runs, coalesce(ml_update_feedback.rating, f.rating), coalesce(ml_update_feedback.comment, f.comment),
           f.measured_by, coalesce(ml_update_feedback.applied_at, f.applied_at)
      INTO row.id, row.optimization_id, row.before_execution_ms, row.after_execution_ms, row.before_planning_ms,
           row.after_planning_ms, row.before_rows, row.after_rows, row.before_shared_hit, row.before_shared_read,
           row.after_shared_hit, row.after_shared_read, row.runs, row.rating, row.comment, row.measured_by,
           row.applied_at
      FROM query_ml.feedback f WHERE f.id = ml_update_feedback.feedback_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: feedback % does not exist', coalesce(feedback_id::text, 'NULL')
            USING ERRCODE = 'no_data_found', HINT = 'ml_list_feedback() lists the feedback.';
    END IF;
    -- applied_at only when given: a time stored by a plain INSERT has no CHECK behind it, and stays.
    PERFORM query_ml.check_feedback(row.before_execution_ms, row.after_execution_ms, row.before_planning_ms,
                                    row.after_planning_ms, row.before_rows, row.after_rows, row.before_shared_hit,
                                    row.before_shared_read, row.after_shared_hit, row.after_shared_read, row.runs,
                                    row.rating, row.comment, ml_update_feedback.applied_at);
    UPDATE query_ml.feedback f
       SET (before_execution_ms, after_execution_ms, before_planning_ms, after_planning_ms, before_rows, after_rows,
            before_shared_hit, before_shared_read, after_shared_hit, after_shared_read, rating, comment, applied_at)
         = (row.before_execution_ms, row.after_execution_ms, row.before_planning_ms, row.after_planning_ms,
            row.before_rows, row.after_rows, row.before_shared_hit, row.before_shared_read, row.after_shared_hit,
            row.after_shared_read, row.rating, row.comment, row.applied_at)
     WHERE f.id = row.id;
    RETURN QUERY SELECT * FROM query_ml.feedback_shown d WHERE d.feedback_id = row.id;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_update_feedback(bigint, double precision, double precision, integer, text, double precision, double precision, bigint, bigint, bigint, bigint, bigint, bigint, timestamptz) IS
    'corrects a feedback row: the values given replace the stored ones (NULL keeps them); statistics follow';
