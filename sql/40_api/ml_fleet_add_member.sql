-- On the hub: subscribes to a member's publication under the member's fleet name, and makes the
-- slot that the member's own subscription to the hub will read (made first, since a logical
-- slot cannot be made in a transaction that wrote; dropped again if the subscription fails).
-- conninfo reaches the member as the replication role query_ml_fleet.
CREATE OR REPLACE FUNCTION @extschema@.ml_fleet_add_member(name text, conninfo text)
RETURNS TABLE (member text, subscription_name name, slot_name name, next_step text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    member_name CONSTANT text := $1;
    subscription CONSTANT name := query_ml.fleet_name('hub_subscription', $1);
    slot CONSTANT name := query_ml.fleet_name('hub_slot', $1);
    made_slot boolean := false;
BEGIN
    PERFORM query_ml.require_fleet_setup('ml_fleet_add_member()', true);
    IF query_ml.fleet_kind() IS DISTINCT FROM 'hub' THEN
        RAISE EXCEPTION 'query_ml: this cluster is not a fleet hub'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'CALL ml_fleet_publish(''<hub name>'', hub => true) makes it one.';
    END IF;
    PERFORM query_ml.check_fleet_name(member_name, 'Use the name the member gave itself in ml_fleet_publish().');
    IF member_name = (SELECT i.cluster_name FROM query_ml.fleet_identity i) THEN
        RAISE EXCEPTION 'query_ml: "%" is this hub''s own name', member_name
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Each cluster of a fleet has a name of its own.';
    END IF;
    PERFORM query_ml.check_conninfo(conninfo, 'member', 'db-eu');
    IF EXISTS (SELECT FROM query_ml.fleet_members m WHERE m.name = member_name) THEN
        RAISE EXCEPTION 'query_ml: "%" is a member of this fleet already', member_name
            USING ERRCODE = 'duplicate_object',
                  HINT = 'ml_fleet_status() shows its replication; ml_fleet_remove_member() removes it.';
    END IF;
    -- First: a logical slot cannot be made in a transaction that wrote.  A slot of this name that
    -- nobody reads, left by an earlier call that did not finish, is this call's to drop as well.
    made_slot := query_ml.fleet_make_slot(slot)
                 OR EXISTS (SELECT FROM pg_catalog.pg_replication_slots r WHERE r.slot_name = slot AND NOT r.active);
    BEGIN
        INSERT INTO query_ml.fleet_members (name, subscription) VALUES (member_name, subscription);
        PERFORM query_ml.fleet_subscribe(subscription, conninfo, query_ml.fleet_name('member_publication'),
                                         query_ml.fleet_name('member_slot', member_name));
    -- A cancel (statement_timeout, a user's) too: OTHERS does not cover it.
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        IF made_slot THEN
            PERFORM pg_catalog.pg_drop_replication_slot(slot);
        END IF;
        RAISE EXCEPTION 'query_ml: could not subscribe to member "%": %', member_name, SQLERRM
            USING ERRCODE = SQLSTATE,
                  HINT = format('On the member, CALL ml_fleet_publish(%L) publishes it (query_ml 0.3.0 or later, '
                                'fleet protocol v1), and conninfo must reach it as %s.', member_name,
                                query_ml.fleet_name('role'));
    END;
    RETURN QUERY SELECT member_name, subscription, slot,
        format('on the member: SELECT ml_fleet_join(''host=<this hub> dbname=%s user=%s'')', current_database(),
               query_ml.fleet_name('role'));
END
$$;
COMMENT ON FUNCTION @extschema@.ml_fleet_add_member(text, text) IS
    'on a fleet''s hub: subscribes to a member''s publication (its rows merge into the hub''s by identity) and makes the slot the member reads the fleet''s results from';
