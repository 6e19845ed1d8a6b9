-- How the human-facing functions name a pattern's source: a shared pattern belongs to every
-- source of its dialect.  A single RETURN expression: the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.source_label(source_name text, dialect text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(source_name, 'shared (' || dialect || ')');
COMMENT ON FUNCTION query_ml.source_label(text, text) IS 'a pattern''s source name, or shared (its dialect) for a shared pattern';
