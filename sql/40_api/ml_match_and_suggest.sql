-- No SET clause: it hands the caller's search_path to the check of another role's SQL.  Its
-- BEGIN ATOMIC body was bound at creation.
CREATE OR REPLACE FUNCTION @extschema@.ml_match_and_suggest(
    sql text, source text DEFAULT NULL, row_limit integer DEFAULT 5, min_confidence double precision DEFAULT NULL,
    include_flagged boolean DEFAULT false, min_score double precision DEFAULT NULL)
RETURNS TABLE (rank integer, pattern_id bigint, match_kind text, similarity double precision, score double precision,
               confidence double precision, confidence_wilson double precision, expected_improvement double precision,
               optimization_type text, suggestion text, applied_sql text, evidence text)
LANGUAGE sql VOLATILE
BEGIN ATOMIC
    SELECT * FROM query_ml.match_and_suggest(sql, source, row_limit, min_confidence, include_flagged, min_score,
                                             pg_catalog.current_setting('search_path'));
END;
COMMENT ON FUNCTION @extschema@.ml_match_and_suggest(text, text, integer, double precision, boolean, double precision) IS
    'ranked suggestions for a query in one call: ml_match_pattern with, for an exact match, the concrete SQL to run (another role''s SQL only once checked against what it reaches on your search_path)';
