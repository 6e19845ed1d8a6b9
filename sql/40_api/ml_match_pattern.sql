-- An SQL function with no SET clause, so that the planner inlines it into the caller's
-- statement: an exact match then costs one index lookup beyond the fingerprint.  Its body
-- (BEGIN ATOMIC) was bound to its objects at creation, so the caller's search_path cannot
-- redirect it.  The similarity branch runs only when there is no exact match.
CREATE OR REPLACE FUNCTION @extschema@.ml_match_pattern(
    sql text, source text DEFAULT NULL, row_limit integer DEFAULT 5, min_confidence double precision DEFAULT NULL)
RETURNS TABLE (pattern_id bigint, match_kind text, similarity double precision, confidence double precision,
               confidence_wilson double precision, expected_improvement double precision, optimization_type text,
               suggestion text, applications bigint, status text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH exact AS (
        SELECT m.pattern_id, 'exact'::text AS match_kind, 1.0::double precision AS similarity, m.confidence,
               m.confidence_wilson, m.expected_improvement, m.optimization_type, m.suggestion, m.applications,
               m.status
          FROM query_ml.pattern_matches m
         WHERE m.fingerprint = (SELECT @extschema@.ml_fingerprint(sql)) AND m.status <> 'retired'
           AND (source IS NULL OR m.source_id = (SELECT f.id FROM query_ml.find_source(source) f)
                OR (m.source_id IS NULL AND m.dialect = (SELECT f.dialect FROM query_ml.find_source(source) f)))
           AND m.confidence >= coalesce(min_confidence, (SELECT query_ml.setting('confidence_threshold'))::double precision)
         ORDER BY m.confidence DESC, m.confidence_wilson DESC, m.pattern_id
         LIMIT query_ml.checked_limit(row_limit)
    )
    SELECT * FROM exact
    UNION ALL
    SELECT s.* FROM query_ml.similar_matches(
               sql, CASE WHEN source IS NOT NULL THEN (SELECT f.id FROM query_ml.find_source(source) f) END,
               CASE WHEN source IS NOT NULL THEN (SELECT f.dialect FROM query_ml.find_source(source) f) END,
               row_limit, min_confidence) s
     WHERE NOT EXISTS (SELECT FROM exact);
END;
COMMENT ON FUNCTION @extschema@.ml_match_pattern(text, text, integer, double precision) IS
    'patterns that fit a query: exact fingerprint matches first, the most similar patterns when there is none; confidence is the pattern confidence times the similarity, and matches below min_confidence (default: the confidence_threshold setting) are left out';
