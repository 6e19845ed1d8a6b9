-- PL/pgSQL for its cached plan.  The planner tends to cost the GIN bitmap above a scan
-- of every pattern; this one statement is told to use the index.
CREATE OR REPLACE FUNCTION query_ml.similarity_candidates(
    keys integer[], source_id integer, dialect text, feature_version smallint, max_candidates integer)
RETURNS TABLE (id bigint, tokens integer[], shared integer)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
AS $$
BEGIN
    RETURN QUERY
        SELECT p.id, p.tokens, (SELECT count(*) FROM unnest(p.lsh_keys) AS k WHERE k = ANY (keys))::integer AS shared
          FROM query_ml.patterns p
         WHERE p.lsh_keys && keys
           AND p.status <> 'retired'
           AND p.feature_version = similarity_candidates.feature_version
           AND query_ml.in_scope(p.source_id, p.dialect, similarity_candidates.source_id, similarity_candidates.dialect)
         ORDER BY shared DESC, p.id
         LIMIT max_candidates;
END
$$;
COMMENT ON FUNCTION query_ml.similarity_candidates(integer[], integer, text, smallint, integer) IS
    'patterns sharing at least one similarity key with a query, most shared keys first, through the GIN index on lsh_keys';
