-- Its BEGIN ATOMIC body was bound to its objects at creation: the caller's search_path cannot
-- redirect it.
CREATE OR REPLACE FUNCTION @extschema@.ml_similar_patterns(sql text, source text DEFAULT NULL, row_limit integer DEFAULT 10)
RETURNS TABLE (pattern_id bigint, similarity double precision)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH scope AS MATERIALIZED (
        SELECT f.id, f.dialect FROM query_ml.find_source(source) f WHERE source IS NOT NULL
    )
    SELECT s.pattern_id, query_ml.shown_fraction(s.similarity)
      FROM query_ml.similar_scores(sql, (SELECT c.id FROM scope c), (SELECT c.dialect FROM scope c),
                                   query_ml.checked_limit(row_limit)) s
     ORDER BY s.similarity DESC, s.pattern_id
     LIMIT query_ml.checked_limit(row_limit);
END;
COMMENT ON FUNCTION @extschema@.ml_similar_patterns(text, text, integer) IS
    'the stored patterns most similar in structure to a query (weighted Jaccard of tables, join keys, predicate kinds, aggregates, clauses), best first, found through an index; no confidence threshold';
