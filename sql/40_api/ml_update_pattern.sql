-- For admins (query_ml_admin, as every administrative function).  The query a pattern is for
-- is its identity: a different query is another pattern (ml_store_pattern).  A new optimized
-- text comes with the query it was written for, values included, so that the row trigger can
-- tell the query's values (which become $n) from the optimization's own, as on insert.
CREATE OR REPLACE FUNCTION @extschema@.ml_update_pattern(pattern_id bigint, optimized text DEFAULT NULL,
                                                       description text DEFAULT NULL, original_query text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pattern_id IS NULL THEN
        RAISE EXCEPTION 'query_ml: pattern_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF optimized IS NULL AND description IS NULL THEN
        RAISE EXCEPTION 'query_ml: nothing to change in pattern %', pattern_id
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give optimized => ''...'' or description => ''...'' (an empty description removes it).';
    END IF;
    IF optimized IS NOT NULL AND original_query IS NULL THEN
        RAISE EXCEPTION 'query_ml: a new optimized text needs the query it was written for'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give original_query => ''...'', with its values: they become the template''s parameters.';
    END IF;
    IF original_query IS NOT NULL AND @extschema@.ml_fingerprint(original_query)
       IS DISTINCT FROM (SELECT p.fingerprint FROM query_ml.patterns p WHERE p.id = ml_update_pattern.pattern_id) THEN
        RAISE EXCEPTION 'query_ml: the query does not fit pattern %', pattern_id
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A different query is another pattern: ml_store_pattern stores it.';
    END IF;
    IF optimized IS NOT NULL THEN
        UPDATE query_ml.patterns p
           SET normalized_query = ml_update_pattern.original_query, optimized_template = ml_update_pattern.optimized
         WHERE p.id = ml_update_pattern.pattern_id;
    END IF;
    -- The description alone touches no column the row trigger derives from: the pattern is not
    -- parsed again (nor re-fingerprinted, if it was stored under an older parser).
    UPDATE query_ml.patterns p
       SET description = CASE WHEN ml_update_pattern.description IS NULL THEN p.description
                              ELSE nullif(ml_update_pattern.description, '') END
     WHERE p.id = ml_update_pattern.pattern_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: pattern % does not exist', pattern_id
            USING ERRCODE = 'no_data_found', HINT = 'ml_patterns() lists the patterns.';
    END IF;
    RETURN pattern_id;
EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'query_ml: another pattern of this query and scope has this optimization already'
        USING ERRCODE = 'unique_violation',
              HINT = 'ml_match_pattern(sql, min_confidence => 0) lists the patterns of the query.';
END
$$;
COMMENT ON FUNCTION @extschema@.ml_update_pattern(bigint, text, text, text) IS
    'changes a pattern''s optimized SQL (with original_query, the query it was written for; checked as on insert) or its description (an empty one removes it); returns the pattern id';
