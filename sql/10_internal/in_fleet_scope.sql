-- query_ml.in_scope for a fleet pattern, whose scope travels by source name (ids are each
-- cluster's own): of that source, or shared within its dialect.
CREATE OR REPLACE FUNCTION query_ml.in_fleet_scope(pattern_source text, pattern_dialect text,
                                                   scope_source text, scope_dialect text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN scope_source IS NULL OR pattern_source = scope_source
       OR (pattern_source IS NULL AND pattern_dialect = scope_dialect);
COMMENT ON FUNCTION query_ml.in_fleet_scope(text, text, text, text) IS
    'whether a fleet pattern (its source name, its dialect when shared) answers the queries of a source (NULL: of every source)';
