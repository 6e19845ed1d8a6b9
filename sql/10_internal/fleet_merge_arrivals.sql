-- Constraint trigger, deferred, on the hub: when a transaction that brought members' feedback
-- rows commits (an apply worker's, or its initial copy), its first queued event merges them all
-- in one statement (query_ml.fleet_merge_pending); the others find them merged.  One statement
-- for a member's bulk load, not one per row.
CREATE OR REPLACE FUNCTION query_ml.fleet_merge_arrivals()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    here CONSTANT text := pg_catalog.pg_current_xact_id()::text;
BEGIN
    IF current_setting('query_ml.fleet_merged_xact', true) IS NOT DISTINCT FROM here
       OR query_ml.fleet_kind() IS DISTINCT FROM 'hub' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('query_ml.fleet_merged_xact', here, true);
    -- One statement per member's lock, then the merge, which then sees what a merge before it committed.
    PERFORM query_ml.lock_fleet_member(m.origin)
       FROM (SELECT DISTINCT f.origin FROM query_ml.member_feedback f
              WHERE f.arrived_xid = pg_catalog.pg_current_xact_id() ORDER BY 1) m;
    PERFORM query_ml.fleet_merge_pending(NULL, NULL, pg_catalog.pg_current_xact_id());
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_merge_arrivals() IS
    'deferred trigger, on a fleet''s hub: merges the members'' feedback rows a transaction brought, once, when it commits';
