-- Drops a fleet slot of this server: a removed member, or a cluster leaving the fleet, must not
-- keep WAL.  The walsender that reads it is ended first; its subscriber may connect again at
-- once (wal_retrieve_retry_interval), so this tries for about 10 seconds, then leaves the slot
-- with a warning (ml_fleet_status shows it; the subscriber's side leaving the fleet frees it).
CREATE OR REPLACE FUNCTION query_ml.fleet_drop_slot(slot name)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reader integer;
BEGIN
    FOR attempt IN 1 .. 50 LOOP
        SELECT r.active_pid INTO reader FROM pg_catalog.pg_replication_slots r WHERE r.slot_name = slot;
        IF NOT FOUND THEN
            RETURN false;
        END IF;
        IF reader IS NOT NULL THEN
            PERFORM pg_catalog.pg_terminate_backend(reader, 5000);
        END IF;
        BEGIN
            PERFORM pg_catalog.pg_drop_replication_slot(slot);
            RETURN true;
        EXCEPTION WHEN object_in_use THEN
            PERFORM pg_catalog.pg_sleep(0.2);
        END;
    END LOOP;
    RAISE WARNING 'query_ml: replication slot % is still in use and was not dropped', slot
        USING HINT = 'Its subscriber connects again and again: on that cluster, SELECT * FROM ml_fleet_leave(); then SELECT pg_drop_replication_slot(''' || slot || ''') here.';
    RETURN false;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_drop_slot(name) IS
    'drops a fleet replication slot of this server, ending the walsender that reads it; false when there is none or it stays in use';
