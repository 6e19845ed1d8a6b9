CREATE OR REPLACE FUNCTION @extschema@.ml_similar_patterns(sql text, source text DEFAULT NULL, row_limit integer DEFAULT 10)
RETURNS TABLE (pattern_id bigint, similarity double precision)
LANGUAGE plpython3u STABLE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.matching.similar(plpy, sql, source, row_limit) if sql is not None else []
$python$;
COMMENT ON FUNCTION @extschema@.ml_similar_patterns(text, text, integer) IS
    'the stored patterns most similar in structure to a query (weighted Jaccard of tables, join keys, predicate kinds, aggregates, clauses), best first, found through an index; no confidence threshold';
