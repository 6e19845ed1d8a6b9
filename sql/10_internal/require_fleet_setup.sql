-- What every fleet helper needs: a superuser (publications of the extension's tables, and
-- subscriptions in PostgreSQL 15, are a superuser's) and, to publish or create slots,
-- wal_level = logical.
CREATE OR REPLACE FUNCTION query_ml.require_fleet_setup(helper text, needs_logical boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'query_ml: % needs a superuser', helper
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'It creates publications, replication slots, subscriptions or roles.',
                  HINT = 'Run it as the superuser that installed query_ml.';
    END IF;
    IF needs_logical AND current_setting('wal_level') <> 'logical' THEN
        RAISE EXCEPTION 'query_ml: % needs wal_level = logical, and this server runs with wal_level = %',
            helper, current_setting('wal_level')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set wal_level = logical in postgresql.conf (ALTER SYSTEM SET wal_level = logical) and restart the server.';
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.require_fleet_setup(text, boolean) IS
    'errors unless the caller is a superuser and, when asked, the server runs with wal_level = logical';
