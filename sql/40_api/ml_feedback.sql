CREATE OR REPLACE FUNCTION @extschema@.ml_feedback(feedback_id bigint)
RETURNS SETOF query_ml.feedback_details
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF feedback_id IS NULL THEN
        RAISE EXCEPTION 'query_ml: feedback_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    RETURN QUERY
        SELECT d.* FROM query_ml.feedback_shown d
         WHERE d.feedback_id = ml_feedback.feedback_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: feedback % does not exist', coalesce(feedback_id::text, 'NULL')
            USING ERRCODE = 'no_data_found', HINT = 'ml_list_feedback() lists the feedback.';
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_feedback(bigint) IS 'one feedback row with its estimate, signed error and verdict; times and figures rounded for reading';
