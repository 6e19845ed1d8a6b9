-- For admins.  Feedback is what query_ml learned: it goes only when asked (cascade => true).
-- Optimizations without feedback go with their pattern.
CREATE OR REPLACE FUNCTION @extschema@.ml_delete_pattern(pattern_id bigint, cascade boolean DEFAULT false)
RETURNS TABLE (optimizations_deleted bigint, feedback_deleted bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    feedback bigint;
    optimizations bigint;
BEGIN
    IF pattern_id IS NULL OR cascade IS NULL THEN
        RAISE EXCEPTION 'query_ml: pattern_id and cascade must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- Locked first: no optimization or feedback is added to it while it is counted and deleted.
    PERFORM FROM query_ml.patterns p WHERE p.id = ml_delete_pattern.pattern_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: pattern % does not exist', pattern_id
            USING ERRCODE = 'no_data_found', HINT = 'ml_patterns() lists the patterns.';
    END IF;
    -- Its optimizations, in id order, before counting: feedback in flight (its foreign key holds them
    -- KEY SHARE) commits first and is counted, and no more arrives.
    PERFORM FROM query_ml.optimizations o WHERE o.pattern_id = ml_delete_pattern.pattern_id ORDER BY o.id FOR UPDATE;
    SELECT count(DISTINCT o.id), count(f.id) INTO optimizations, feedback
      FROM query_ml.optimizations o LEFT JOIN query_ml.feedback f ON f.optimization_id = o.id
     WHERE o.pattern_id = ml_delete_pattern.pattern_id;
    IF feedback > 0 AND NOT cascade THEN
        RAISE EXCEPTION 'query_ml: pattern % has % feedback rows', pattern_id, feedback
            USING ERRCODE = 'dependent_objects_still_exist',
                  DETAIL = 'Deleting it would delete what was measured for its ' || optimizations || ' optimizations.',
                  HINT = format('ml_delete_pattern(%s, cascade => true) deletes them too; '
                                'ml_set_pattern_status(%s, ''retired'') stops suggesting it and keeps them.',
                                pattern_id, pattern_id);
    END IF;
    DELETE FROM query_ml.optimizations o WHERE o.pattern_id = ml_delete_pattern.pattern_id;
    DELETE FROM query_ml.patterns p WHERE p.id = ml_delete_pattern.pattern_id;
    RETURN QUERY SELECT optimizations, feedback;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_delete_pattern(bigint, boolean) IS
    'deletes a pattern and its optimizations; refuses while it has feedback, unless cascade => true, which deletes that too';
