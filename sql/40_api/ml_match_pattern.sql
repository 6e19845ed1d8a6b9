-- An SQL function with no SET clause, so that the planner inlines it into the caller's
-- statement: an exact match then costs one index lookup beyond the fingerprint.  Its body
-- (BEGIN ATOMIC) was bound to its objects at creation, so the caller's search_path cannot
-- redirect it.  Similar patterns are looked for (query_ml.similar_matches) only when no exact
-- match clears the threshold; scope, thresholds, confidence, order and limit are here, once.
CREATE OR REPLACE FUNCTION @extschema@.ml_match_pattern(
    sql text, source text DEFAULT NULL, row_limit integer DEFAULT 5, min_confidence double precision DEFAULT NULL)
RETURNS TABLE (pattern_id bigint, match_kind text, similarity double precision, confidence double precision,
               confidence_wilson double precision, expected_improvement double precision, optimization_type text,
               suggestion text, applications bigint, status text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH scope AS MATERIALIZED (
        SELECT f.id, f.dialect FROM query_ml.find_source(source) f WHERE source IS NOT NULL
    ), gate AS MATERIALIZED (
        -- The settings view, not query_ml.setting(): a view is inlined, a PL/pgSQL call costs more than the lookup.
        SELECT coalesce(min_confidence, (SELECT s.value FROM query_ml.settings s
                                          WHERE s.name = 'confidence_threshold')::double precision) AS threshold
    ), exact AS (
        SELECT m.* FROM query_ml.pattern_matches m
         -- The scope is read with the fingerprint, which is always computed: an unknown source is an error
         -- even when no pattern has this fingerprint.
         WHERE m.fingerprint = (SELECT @extschema@.ml_fingerprint(sql) WHERE source IS NULL OR EXISTS (SELECT FROM scope))
           AND m.status <> 'retired'
           AND (source IS NULL OR m.source_id = (SELECT c.id FROM scope c)
                OR (m.source_id IS NULL AND m.dialect = (SELECT c.dialect FROM scope c)))
    ), matches AS (
        SELECT e.pattern_id, 'exact' AS match_kind, 1.0::double precision AS similarity, e.confidence,
               e.confidence_wilson, e.expected_improvement, e.optimization_type, e.suggestion, e.applications,
               e.status
          FROM exact e
        UNION ALL
        SELECT r.pattern_id, 'similar', r.similarity, r.confidence * r.similarity, r.confidence_wilson * r.similarity,
               r.expected_improvement, r.optimization_type, r.suggestion, r.applications, r.status
          FROM query_ml.similar_matches(sql, (SELECT c.id FROM scope c), (SELECT c.dialect FROM scope c)) r
         WHERE NOT EXISTS (SELECT FROM exact e WHERE e.confidence >= (SELECT g.threshold FROM gate g))
    )
    SELECT m.pattern_id, m.match_kind, query_ml.shown_fraction(m.similarity), query_ml.shown_fraction(m.confidence),
           query_ml.shown_fraction(m.confidence_wilson), query_ml.shown_percent(m.expected_improvement),
           m.optimization_type, m.suggestion, m.applications, m.status
      FROM matches m
     WHERE m.confidence >= (SELECT g.threshold FROM gate g)
     ORDER BY m.confidence DESC, m.similarity DESC, m.confidence_wilson DESC, m.pattern_id
     LIMIT query_ml.checked_limit(row_limit);
END;
COMMENT ON FUNCTION @extschema@.ml_match_pattern(text, text, integer, double precision) IS
    'patterns that fit a query: exact fingerprint matches first, the most similar patterns when there is none; confidence is the pattern confidence times the similarity, and matches below min_confidence (default: the confidence_threshold setting) are left out';
