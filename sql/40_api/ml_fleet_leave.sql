-- Takes this cluster out of its fleet.  A member drops its subscription to the hub, its
-- publication and its slot, and clears what it published and what the hub sent; its own
-- patterns and feedback stay.  A hub leaves once it has no member left.  The role
-- query_ml_fleet stays: it is the cluster's, and may serve other databases.
CREATE OR REPLACE FUNCTION @extschema@.ml_fleet_leave()
RETURNS TABLE (fleet_name text, fleet_kind text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me query_ml.fleet_identity;
BEGIN
    PERFORM query_ml.require_fleet_setup('ml_fleet_leave()', false);
    SELECT * INTO me FROM query_ml.fleet_identity;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: this cluster is not in a fleet'
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'ml_fleet_status() shows its fleet state.';
    END IF;
    IF me.kind = 'hub' AND EXISTS (SELECT FROM query_ml.fleet_members) THEN
        RAISE EXCEPTION 'query_ml: the hub still has % members', (SELECT count(*) FROM query_ml.fleet_members)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'ml_fleet_remove_member(name) removes each first.';
    END IF;
    IF me.kind = 'member' THEN
        PERFORM query_ml.fleet_drop_subscription(query_ml.fleet_name('member_subscription'));
        PERFORM query_ml.fleet_drop_slot(query_ml.fleet_name('member_slot', me.cluster_name));
    END IF;
    EXECUTE format('DROP PUBLICATION IF EXISTS %I', query_ml.fleet_name(
        CASE WHEN me.kind = 'hub' THEN 'hub_publication' ELSE 'member_publication' END));
    DELETE FROM query_ml.fleet_identity;
    PERFORM query_ml.fleet_set_triggers();
    DELETE FROM query_ml.member_feedback f WHERE f.origin = me.cluster_name;
    DELETE FROM query_ml.member_optimizations o WHERE o.origin = me.cluster_name;
    DELETE FROM query_ml.fleet_patterns;
    DELETE FROM query_ml.fleet_calibration;
    RETURN QUERY SELECT me.cluster_name, me.kind;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_fleet_leave() IS
    'takes this cluster out of its fleet: drops its fleet publication, subscription and slot, and what it published or received; its own learning stays';
