-- Makes a fleet's logical replication slot on this server unless it exists.  Its publication
-- must be committed first (ml_fleet_publish, ml_fleet_add_member): a slot decodes every change
-- after it with the catalog of that change's time.
CREATE OR REPLACE FUNCTION query_ml.fleet_make_slot(slot name)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_replication_slots r WHERE r.slot_name = slot) THEN
        RETURN false;
    END IF;
    PERFORM pg_catalog.pg_create_logical_replication_slot(slot, 'pgoutput');
    RETURN true;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_make_slot(name) IS
    'makes a fleet replication slot (pgoutput) on this server unless it exists; true when made';
