-- Python's part of matching: the patterns most similar to a query, scored.  Thresholds,
-- confidence, order and limit are ml_match_pattern's and ml_similar_patterns'.
CREATE OR REPLACE FUNCTION query_ml.similar_scores(sql text, source_id integer, dialect text, candidates integer)
RETURNS TABLE (pattern_id bigint, similarity double precision)
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.matching.similar_scores(plpy, sql, source_id, dialect, candidates)
$python$;
COMMENT ON FUNCTION query_ml.similar_scores(text, integer, text, integer) IS
    'the patterns (of a source and dialect, if given) most similar to a query, at most candidates of them, with their similarity';
