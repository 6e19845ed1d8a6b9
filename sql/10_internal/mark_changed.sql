-- Records that some patterns changed at a statistics version (query_ml.pattern_changes), in id
-- order; a later version is never replaced by an earlier one.  Callers hold the patterns' buckets.
CREATE OR REPLACE FUNCTION query_ml.mark_changed(pattern_ids bigint[], stamp bigint)
RETURNS void
LANGUAGE sql VOLATILE
BEGIN ATOMIC
    INSERT INTO query_ml.pattern_changes AS c (pattern_id, version)
    SELECT DISTINCT i.id, stamp FROM unnest(pattern_ids) AS i (id) WHERE i.id IS NOT NULL ORDER BY i.id
        ON CONFLICT (pattern_id) DO UPDATE SET version = greatest(c.version, excluded.version);
END;
COMMENT ON FUNCTION query_ml.mark_changed(bigint[], bigint) IS
    'records that some patterns changed at a statistics version, for the next ml_refine()';
