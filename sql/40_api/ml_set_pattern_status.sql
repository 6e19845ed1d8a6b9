CREATE OR REPLACE FUNCTION @extschema@.ml_set_pattern_status(pattern_id bigint, status text, reason text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pattern_id IS NULL THEN
        RAISE EXCEPTION 'query_ml: pattern_id must not be NULL' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'ml_patterns() lists the patterns.';
    END IF;
    PERFORM query_ml.check_choice('status', status, ARRAY['active', 'flagged', 'retired', 'auto']);
    -- The column holds up to 2000 characters: the reason, its 'manual: ' prefix and room to spare.
    IF length(reason) > 1000 THEN
        RAISE EXCEPTION 'query_ml: the reason is % characters long; at most 1000 fit', length(reason)
            USING ERRCODE = 'string_data_right_truncation';
    END IF;
    UPDATE query_ml.patterns p
       SET status = CASE WHEN ml_set_pattern_status.status = 'auto' THEN p.status ELSE ml_set_pattern_status.status END,
           status_reason = CASE WHEN ml_set_pattern_status.status = 'auto' THEN NULL
                                ELSE 'manual: ' || coalesce(reason, 'set by ' || current_user) END,
           status_changed_at = now(),
           -- Handed back: the next ml_refine() judges it again, new results or not.
           refined_version = CASE WHEN ml_set_pattern_status.status = 'auto' THEN NULL ELSE p.refined_version END
     WHERE p.id = ml_set_pattern_status.pattern_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: pattern % does not exist', pattern_id
            USING ERRCODE = 'no_data_found', HINT = 'ml_patterns() lists the patterns.';
    END IF;
    RETURN (SELECT p.status FROM query_ml.patterns p WHERE p.id = ml_set_pattern_status.pattern_id);
END
$$;
COMMENT ON FUNCTION @extschema@.ml_set_pattern_status(bigint, text, text) IS
    'sets a pattern''s status by hand (active, flagged, retired), with a reason of up to 1000 characters, which ml_refine() then leaves alone; auto hands it back to ml_refine()';
