-- Friendly errors for feedback values; the table's CHECK constraints stay as the backstop
-- for rows that arrive by INSERT or COPY.
CREATE OR REPLACE FUNCTION query_ml.check_feedback(
    before_execution_ms double precision, after_execution_ms double precision,
    before_planning_ms double precision, after_planning_ms double precision,
    before_rows bigint, after_rows bigint, before_shared_hit bigint, before_shared_read bigint,
    after_shared_hit bigint, after_shared_read bigint, runs integer, rating integer, comment text,
    applied_at timestamptz)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    day CONSTANT double precision := 86400000;
BEGIN
    IF before_execution_ms IS NULL OR after_execution_ms IS NULL THEN
        RAISE EXCEPTION 'query_ml: before_execution_ms and after_execution_ms are required'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- From a microsecond, EXPLAIN's resolution: the improvement, a ratio to this time, must stay finite.
    IF NOT (before_execution_ms >= 0.001 AND before_execution_ms <= day) OR before_execution_ms = 'NaN' THEN
        RAISE EXCEPTION 'query_ml: before_execution_ms must lie between 0.001 and a day (86400000), not %', before_execution_ms
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Times are in milliseconds.';
    END IF;
    IF NOT (after_execution_ms >= 0 AND after_execution_ms <= day) OR after_execution_ms = 'NaN' THEN
        RAISE EXCEPTION 'query_ml: after_execution_ms must lie between 0 and a day (86400000), not %', after_execution_ms
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Times are in milliseconds.';
    END IF;
    IF (before_planning_ms IS NULL) <> (after_planning_ms IS NULL) THEN
        RAISE EXCEPTION 'query_ml: give both planning times or neither'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The improvement counts planning time only when both sides have it.';
    END IF;
    IF NOT (before_planning_ms BETWEEN 0 AND day AND after_planning_ms BETWEEN 0 AND day) THEN
        RAISE EXCEPTION 'query_ml: planning times must lie between 0 and a day (86400000)'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF least(before_rows, after_rows, before_shared_hit, before_shared_read, after_shared_hit, after_shared_read) < 0 THEN
        RAISE EXCEPTION 'query_ml: rows and buffer counts must not be negative'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT (runs BETWEEN 1 AND 1000) THEN
        RAISE EXCEPTION 'query_ml: runs must lie between 1 and 1000, not %', runs USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT (rating BETWEEN 1 AND 5) THEN
        RAISE EXCEPTION 'query_ml: rating must lie between 1 and 5, not %', rating USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF length(comment) > 2000 THEN
        RAISE EXCEPTION 'query_ml: the comment is % characters long; at most 2000 fit', length(comment)
            USING ERRCODE = 'string_data_right_truncation';
    END IF;
    IF NOT query_ml.applied_at_ok(applied_at) THEN
        PERFORM query_ml.refuse_applied_at(applied_at);
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_feedback(double precision, double precision, double precision, double precision, bigint, bigint, bigint, bigint, bigint, bigint, integer, integer, text, timestamptz) IS
    'rejects feedback values that cannot be true, with a message that names the value and its range';
