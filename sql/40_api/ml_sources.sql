CREATE OR REPLACE FUNCTION @extschema@.ml_sources()
RETURNS TABLE (id integer, name text, dialect text, database_name text, cluster_name text, is_active boolean,
               patterns bigint, optimizations bigint, created_at timestamptz, retired_at timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT s.id, s.name, s.dialect, s.database_name, s.cluster_name, s.is_active,
           (SELECT count(*) FROM query_ml.patterns p WHERE p.source_id = s.id),
           (SELECT count(*) FROM query_ml.optimizations o WHERE o.source_id = s.id),
           query_ml.shown_time(s.created_at), query_ml.shown_time(s.retired_at)
      FROM query_ml.sources s
     ORDER BY s.name;
END;
COMMENT ON FUNCTION @extschema@.ml_sources() IS 'the registered sources with their dialect, state and how many patterns and optimizations each has';
