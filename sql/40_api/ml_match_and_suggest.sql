CREATE OR REPLACE FUNCTION @extschema@.ml_match_and_suggest(
    sql text, source text DEFAULT NULL, row_limit integer DEFAULT 5, min_confidence double precision DEFAULT NULL)
RETURNS TABLE (rank integer, pattern_id bigint, match_kind text, similarity double precision,
               confidence double precision, confidence_wilson double precision, expected_improvement double precision,
               optimization_type text, suggestion text, applied_sql text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
        SELECT (row_number() OVER ())::integer, m.pattern_id, m.match_kind, m.similarity, m.confidence,
               m.confidence_wilson, m.expected_improvement, m.optimization_type, m.suggestion,
               query_ml.concrete_sql(m.pattern_id, sql, m.match_kind)
          FROM @extschema@.ml_match_pattern(sql, source, row_limit, min_confidence) AS m;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_match_and_suggest(text, text, integer, double precision) IS
    'ranked suggestions for a query in one call: ml_match_pattern with, where one can be made, the concrete SQL to run';
