-- The scope rule of matching (README, "Scope"), once: a pattern answers a source's queries when
-- it is that source's, or shared by its dialect; with no source, every pattern does.
CREATE OR REPLACE FUNCTION query_ml.in_scope(pattern_source integer, pattern_dialect text,
                                             scope_source integer, scope_dialect text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN scope_source IS NULL OR pattern_source = scope_source
       OR (pattern_source IS NULL AND pattern_dialect = scope_dialect);
COMMENT ON FUNCTION query_ml.in_scope(integer, text, integer, text) IS
    'whether a pattern (its source, its dialect when shared) answers the queries of a source (NULL: of every source)';
