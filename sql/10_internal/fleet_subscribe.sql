-- Subscribes to a fleet publication through a slot its publisher made (create_slot = false, so
-- that it runs inside the helpers' transaction), then checks that the publication was there:
-- PostgreSQL 15 subscribes to a publication that does not exist without a word, and a publisher
-- of another fleet protocol would send nothing, silently.
CREATE OR REPLACE FUNCTION query_ml.fleet_subscribe(subscription name, conninfo text, publication name, slot name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I '
                   'WITH (create_slot = false, slot_name = %L, copy_data = true)',
                   subscription, conninfo, publication, slot);
    IF (SELECT count(*) FROM pg_catalog.pg_subscription_rel r
          JOIN pg_catalog.pg_subscription s ON s.oid = r.srsubid
         WHERE s.subname = subscription) <> 2 THEN
        RAISE EXCEPTION 'it publishes no fleet tables of protocol v1 (publication %)', publication
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_subscribe(name, text, name, name) IS
    'creates a fleet subscription through its publisher''s slot, and errors (55000) when the publisher has no fleet tables of protocol v1';
