-- No SET clause: it hands the caller's search_path, with which the caller will run the SQL,
-- to the check of another role's SQL.  Its BEGIN ATOMIC body was bound at creation.
CREATE OR REPLACE FUNCTION @extschema@.ml_apply_pattern(pattern_id bigint, sql text)
RETURNS text
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
    SELECT query_ml.apply_pattern(pattern_id, sql, pg_catalog.current_setting('search_path'));
END;
COMMENT ON FUNCTION @extschema@.ml_apply_pattern(bigint, text) IS
    'the optimized SQL of a pattern made concrete for a query: the query literals carried into the pattern template; an error when the query does not fit, or when another role''s SQL would reach, on your search_path, objects your query does not';
