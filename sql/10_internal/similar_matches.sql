-- The similar half of ml_match_pattern: the patterns most similar to a query (scored by
-- Python, query_ml.similar_scores) with what a match shows of them.  No threshold, order or
-- limit: ml_match_pattern applies those to exact and similar matches alike.  PL/pgSQL, not
-- inlined, so that the exact path's plan stays small: that plan is made again on each call.
CREATE OR REPLACE FUNCTION query_ml.similar_matches(sql text, source_id integer, dialect text)
RETURNS TABLE (pattern_id bigint, similarity double precision, score double precision, confidence double precision,
               confidence_wilson double precision, expected_improvement double precision, optimization_type text,
               suggestion text, applications bigint, status text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
        SELECT m.pattern_id, s.similarity, m.score, m.confidence, m.confidence_wilson, m.expected_improvement,
               m.optimization_type, m.suggestion, m.applications, m.status
          FROM query_ml.similar_scores(sql, source_id, dialect, 50) s
          JOIN query_ml.pattern_matches m ON m.pattern_id = s.pattern_id
         WHERE s.similarity >= (SELECT v.value FROM query_ml.settings v WHERE v.name = 'similarity_min')::double precision;
END
$$;
COMMENT ON FUNCTION query_ml.similar_matches(text, integer, text) IS
    'the patterns (of a source and dialect, if given) most similar to a query, at least similarity_min, with what a match shows of them';
