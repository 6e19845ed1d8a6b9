-- On a member: subscribes to the hub's fleet results (query_ml.fleet_patterns and
-- fleet_calibration), through the slot the hub made for this member in ml_fleet_add_member.
-- Rows of an earlier hub are cleared first: those tables hold only what a hub sends.
CREATE OR REPLACE FUNCTION @extschema@.ml_fleet_join(conninfo text)
RETURNS TABLE (subscription_name name, slot_name name)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me CONSTANT text := (SELECT i.cluster_name FROM query_ml.fleet_identity i WHERE i.kind = 'member');
    subscription CONSTANT name := query_ml.fleet_name('member_subscription');
BEGIN
    PERFORM query_ml.require_fleet_setup('ml_fleet_join()', false);
    IF me IS NULL THEN
        RAISE EXCEPTION 'query_ml: this cluster is not a fleet member'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'CALL ml_fleet_publish(''<its name>'') makes it one; then the hub adds it.';
    END IF;
    PERFORM query_ml.check_conninfo(conninfo, 'hub', 'db-hub');
    IF EXISTS (SELECT FROM pg_catalog.pg_subscription s WHERE s.subname = subscription) THEN
        RAISE EXCEPTION 'query_ml: this member has joined a hub already'
            USING ERRCODE = 'duplicate_object',
                  HINT = 'ml_fleet_status() shows its replication; ml_fleet_leave() leaves the fleet.';
    END IF;
    DELETE FROM query_ml.fleet_patterns;
    DELETE FROM query_ml.fleet_calibration;
    BEGIN
        PERFORM query_ml.fleet_subscribe(subscription, conninfo, query_ml.fleet_name('hub_publication'),
                                         query_ml.fleet_name('hub_slot', me));
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION 'query_ml: could not subscribe to the hub: %', SQLERRM
            USING ERRCODE = SQLSTATE,
                  HINT = format('On the hub, SELECT ml_fleet_add_member(%L, ''<conninfo of this server>'') comes first '
                                '(query_ml 0.3.0 or later, fleet protocol v1).', me);
    END;
    RETURN QUERY SELECT subscription, query_ml.fleet_name('hub_slot', me);
END
$$;
COMMENT ON FUNCTION @extschema@.ml_fleet_join(text) IS
    'on a fleet member: subscribes to the hub''s fleet results, read by matching (evidence ''fleet'') and by calibration';
