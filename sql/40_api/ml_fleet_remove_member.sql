-- On the hub: stops replicating from a member and drops the slot it read the fleet's results
-- from.  Its history (its optimizations and feedback, merged into the hub's patterns) is kept
-- by default, so the fleet goes on learning from it; keep_history => false deletes it, and the
-- hub's statistics with it.  Its slot on the member stays until the member leaves
-- (ml_fleet_leave() there), since the hub cannot drop it from inside a transaction.
CREATE OR REPLACE FUNCTION @extschema@.ml_fleet_remove_member(name text, keep_history boolean DEFAULT true)
RETURNS TABLE (member text, optimizations_deleted bigint, feedback_deleted bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    member_name CONSTANT text := $1;
    removed query_ml.fleet_members;
    optimizations bigint := 0;
    feedback bigint := 0;
BEGIN
    PERFORM query_ml.require_fleet_setup('ml_fleet_remove_member()', false);
    IF member_name IS NULL THEN
        RAISE EXCEPTION 'query_ml: name must not be NULL' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'ml_fleet_status() lists the members by name.';
    END IF;
    IF keep_history IS NULL THEN
        RAISE EXCEPTION 'query_ml: keep_history must not be NULL' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'true keeps what the member taught the fleet, false deletes it.';
    END IF;
    DELETE FROM query_ml.fleet_members m WHERE m.name = member_name RETURNING * INTO removed;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: "%" is not a member of this fleet', left(member_name, 100)
            USING ERRCODE = 'undefined_object', HINT = 'ml_fleet_status() lists the members.';
    END IF;
    PERFORM query_ml.fleet_drop_subscription(removed.subscription);
    PERFORM query_ml.fleet_drop_slot(query_ml.fleet_name('hub_slot', member_name));
    IF NOT keep_history THEN
        -- The merge triggers delete the hub's rows that stand for them, and the statistics follow.
        DELETE FROM query_ml.member_feedback f WHERE f.origin = member_name;
        GET DIAGNOSTICS feedback = ROW_COUNT;
        DELETE FROM query_ml.member_optimizations o WHERE o.origin = member_name;
        GET DIAGNOSTICS optimizations = ROW_COUNT;
    END IF;
    RAISE NOTICE 'query_ml: member "%" removed; its slot % on the member keeps WAL until it leaves the fleet',
        member_name, query_ml.fleet_name('member_slot', member_name)
        USING HINT = 'On the member: SELECT ml_fleet_leave();';
    RETURN QUERY SELECT member_name, optimizations, feedback;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_fleet_remove_member(text, boolean) IS
    'on a fleet''s hub: stops replicating from a member; its history is kept (keep_history => false deletes it, and the statistics follow)';
