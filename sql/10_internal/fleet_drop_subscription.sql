-- Drops a fleet subscription inside a transaction: DROP SUBSCRIPTION refuses a transaction block
-- while it has a slot, so the subscription lets go of its slot first (disabled, slot_name NONE).
-- The slot stays on the publisher, which drops it itself (ml_fleet_leave, ml_fleet_remove_member).
CREATE OR REPLACE FUNCTION query_ml.fleet_drop_subscription(subscription name)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_subscription s
                    WHERE s.subname = subscription AND s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d
                                                                     WHERE d.datname = current_database())) THEN
        RETURN false;
    END IF;
    EXECUTE format('ALTER SUBSCRIPTION %I DISABLE', subscription);
    EXECUTE format('ALTER SUBSCRIPTION %I SET (slot_name = NONE)', subscription);
    EXECUTE format('DROP SUBSCRIPTION %I', subscription);
    RETURN true;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_drop_subscription(name) IS
    'drops a fleet subscription within a transaction, leaving its slot to the publisher; false when there is none';
