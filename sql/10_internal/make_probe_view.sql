-- Resolves a statement as its caller would run it, without running it: a temporary view's
-- rule records, in pg_depend, every relation, function, operator, type and collation its names
-- found.  query_ml.vetting creates it in a subtransaction that it rolls back.  SECURITY
-- INVOKER, and the caller's search_path comes back for the CREATE only.
CREATE OR REPLACE FUNCTION query_ml.make_probe_view(view_name text, statement text, caller_search_path text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ddl CONSTANT text := pg_catalog.format('CREATE TEMPORARY VIEW %I AS ', view_name) OPERATOR(pg_catalog.||) statement;
BEGIN
    PERFORM pg_catalog.set_config('search_path', caller_search_path, true);
    EXECUTE ddl;
END
$$;
COMMENT ON FUNCTION query_ml.make_probe_view(text, text, text) IS
    'creates a temporary view of a statement, resolved with the caller''s search_path, so that pg_depend shows what it reaches';
