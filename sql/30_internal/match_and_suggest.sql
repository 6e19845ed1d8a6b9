CREATE OR REPLACE FUNCTION query_ml.match_and_suggest(
    sql text, source text, row_limit integer, min_confidence double precision, include_flagged boolean,
    min_score double precision, caller_search_path text)
RETURNS TABLE (rank integer, pattern_id bigint, match_kind text, similarity double precision, score double precision,
               confidence double precision, confidence_wilson double precision, expected_improvement double precision,
               optimization_type text, suggestion text, applied_sql text, evidence text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
        SELECT (row_number() OVER ())::integer, m.pattern_id, m.match_kind, m.similarity, m.score, m.confidence,
               m.confidence_wilson, m.expected_improvement, m.optimization_type, m.suggestion,
               query_ml.concrete_sql(m.pattern_id, sql, m.match_kind, caller_search_path), m.evidence
          FROM @extschema@.ml_match_pattern(sql, source, row_limit, min_confidence, include_flagged, min_score) AS m;
END
$$;
COMMENT ON FUNCTION query_ml.match_and_suggest(text, text, integer, double precision, boolean, double precision, text) IS
    'the work of ml_match_and_suggest(): applied SQL that another role wrote is checked with the caller''s search_path';
