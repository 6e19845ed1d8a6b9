-- The relations a query's names could mean, whatever the reader's search_path: every relation
-- of that name for an unqualified one, the one in that schema for a qualified one.
CREATE OR REPLACE FUNCTION query_ml.relations_named(names text[])
RETURNS SETOF oid
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT c.oid FROM pg_catalog.unnest(names) AS n (name)
      JOIN pg_catalog.pg_class c ON c.relname = pg_catalog.split_part(n.name, '.', -1)
      JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p')
       AND (pg_catalog.strpos(n.name, '.') = 0 OR s.nspname = pg_catalog.split_part(n.name, '.', 1))
$$;
COMMENT ON FUNCTION query_ml.relations_named(text[]) IS
    'the relations that the (possibly schema-qualified) names of a query could mean, on any search_path';
