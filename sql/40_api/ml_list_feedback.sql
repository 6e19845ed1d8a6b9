CREATE OR REPLACE FUNCTION @extschema@.ml_list_feedback(
    optimization_id bigint DEFAULT NULL, pattern_id bigint DEFAULT NULL, source text DEFAULT NULL,
    row_limit bigint DEFAULT 50, row_offset bigint DEFAULT 0)
RETURNS SETOF query_ml.feedback_details
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.check_listing(row_limit, row_offset);
    IF source IS NOT NULL THEN
        PERFORM query_ml.find_source(source);
    END IF;
    RETURN QUERY
        SELECT d.* FROM query_ml.feedback_shown d
         WHERE (ml_list_feedback.optimization_id IS NULL OR d.optimization_id = ml_list_feedback.optimization_id)
           AND (ml_list_feedback.pattern_id IS NULL OR d.pattern_id = ml_list_feedback.pattern_id)
           AND (ml_list_feedback.source IS NULL OR d.source = ml_list_feedback.source)
         ORDER BY d.applied_at DESC, d.feedback_id DESC
         LIMIT row_limit OFFSET row_offset;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_list_feedback(bigint, bigint, text, bigint, bigint) IS
    'feedback, newest first, for one optimization, pattern or source (or all), with row_limit and row_offset; times and figures rounded for reading';
