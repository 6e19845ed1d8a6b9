-- Roles are shared by every database of the cluster: made once, and left in place by DROP
-- EXTENSION, since other databases may use them.  Each includes the one before it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'query_ml_reader') THEN
        CREATE ROLE query_ml_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'query_ml_writer') THEN
        CREATE ROLE query_ml_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'query_ml_admin') THEN
        CREATE ROLE query_ml_admin NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('query_ml_writer', 'query_ml_reader', 'MEMBER') THEN
        GRANT query_ml_reader TO query_ml_writer;
    END IF;
    IF NOT pg_catalog.pg_has_role('query_ml_admin', 'query_ml_writer', 'MEMBER') THEN
        GRANT query_ml_writer TO query_ml_admin;
    END IF;
END
$$;
COMMENT ON ROLE query_ml_reader IS 'query_ml: reads patterns, statistics and reports, and matches queries';
COMMENT ON ROLE query_ml_writer IS 'query_ml: also records optimizations and feedback, and measures with ml_track';
COMMENT ON ROLE query_ml_admin IS 'query_ml: also refines, changes settings, retires patterns and sources, and schedules refinement';
