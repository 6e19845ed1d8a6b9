CREATE OR REPLACE FUNCTION @extschema@.ml_submit_feedback(
    optimization_id bigint, before_execution_ms double precision, after_execution_ms double precision,
    rating integer DEFAULT NULL, comment text DEFAULT NULL,
    before_planning_ms double precision DEFAULT NULL, after_planning_ms double precision DEFAULT NULL,
    before_rows bigint DEFAULT NULL, after_rows bigint DEFAULT NULL,
    before_shared_hit bigint DEFAULT NULL, before_shared_read bigint DEFAULT NULL,
    after_shared_hit bigint DEFAULT NULL, after_shared_read bigint DEFAULT NULL,
    runs integer DEFAULT NULL, applied_at timestamptz DEFAULT now(), measured_by text DEFAULT 'manual')
RETURNS SETOF query_ml.feedback_details
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM query_ml.optimizations o WHERE o.id = ml_submit_feedback.optimization_id) THEN
        RAISE EXCEPTION 'query_ml: optimization % does not exist', coalesce(optimization_id::text, 'NULL')
            USING ERRCODE = 'no_data_found', HINT = 'ml_record_optimization() records one and returns its id.';
    END IF;
    PERFORM query_ml.check_feedback(before_execution_ms, after_execution_ms, before_planning_ms, after_planning_ms,
                                    before_rows, after_rows, before_shared_hit, before_shared_read,
                                    after_shared_hit, after_shared_read, runs, rating, comment,
                                    coalesce(applied_at, now()));
    IF measured_by NOT IN ('manual', 'ml_track', 'import') THEN
        RAISE EXCEPTION 'query_ml: measured_by must be manual, ml_track or import, not "%"', measured_by
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Leave it out for manual.';
    END IF;
    INSERT INTO query_ml.feedback AS f (optimization_id, before_execution_ms, after_execution_ms, before_planning_ms,
                                        after_planning_ms, before_rows, after_rows, before_shared_hit,
                                        before_shared_read, after_shared_hit, after_shared_read, runs, rating,
                                        comment, applied_at, measured_by)
    VALUES (optimization_id, before_execution_ms, after_execution_ms, before_planning_ms, after_planning_ms,
            before_rows, after_rows, before_shared_hit, before_shared_read, after_shared_hit, after_shared_read,
            runs, rating, comment, coalesce(applied_at, now()), coalesce(measured_by, 'manual'))
    RETURNING f.id INTO new_id;
    RETURN QUERY SELECT * FROM query_ml.feedback_shown d WHERE d.feedback_id = new_id;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_submit_feedback(bigint, double precision, double precision, integer, text, double precision, double precision, bigint, bigint, bigint, bigint, bigint, bigint, integer, timestamptz, text) IS
    'stores a measured result of an optimization (times in ms, rows, shared buffers, rating 1-5, comment) and returns it with the actual improvement, the signed error against the estimate and whether it succeeded';
