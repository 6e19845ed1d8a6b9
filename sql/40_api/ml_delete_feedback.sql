CREATE OR REPLACE FUNCTION @extschema@.ml_delete_feedback(feedback_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    deleted bigint;
BEGIN
    DELETE FROM query_ml.feedback f WHERE f.id = ml_delete_feedback.feedback_id RETURNING f.id INTO deleted;
    IF deleted IS NULL THEN
        RAISE EXCEPTION 'query_ml: feedback % does not exist', coalesce(feedback_id::text, 'NULL')
            USING ERRCODE = 'no_data_found', HINT = 'ml_list_feedback() lists the feedback.';
    END IF;
    RETURN deleted;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_delete_feedback(bigint) IS 'deletes one feedback row; statistics follow; returns its id';
