CREATE OR REPLACE FUNCTION query_ml.similar_matches(
    sql text, source_id integer, dialect text, row_limit integer, min_confidence double precision)
RETURNS TABLE (pattern_id bigint, match_kind text, similarity double precision, confidence double precision,
               confidence_wilson double precision, expected_improvement double precision, optimization_type text,
               suggestion text, applications bigint, status text)
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.matching.similar_matches(plpy, sql, source_id, dialect, row_limit, min_confidence)
$python$;
COMMENT ON FUNCTION query_ml.similar_matches(text, integer, text, integer, double precision) IS
    'the similarity half of ml_match_pattern: the most similar patterns, confidence scaled by similarity, above the threshold';
