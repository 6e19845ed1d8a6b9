-- On the hub: members' feedback rows not merged yet become the hub's, in one statement, so that
-- the statistics triggers run once for them all: those one transaction brought (arrived), those
-- of one member's optimization (member, optimization: it has just been merged), or every
-- member's (member NULL, or one member's).  When the statement fails on a row (a time out of
-- range, say), the rows go one by one and those that fail are refused into fleet_refusals:
-- replication goes on.  Returns how many rows were merged.
CREATE OR REPLACE FUNCTION query_ml.fleet_merge_pending(member text, optimization bigint DEFAULT NULL,
                                                        arrived xid8 DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    filter CONSTANT text := CASE WHEN arrived IS NOT NULL THEN 'v.arrived_xid = $3'
                                 WHEN optimization IS NOT NULL THEN 'v.fleet_origin = $1 AND v.member_optimization_id = $2'
                                 WHEN member IS NOT NULL THEN 'v.fleet_origin = $1'
                                 ELSE 'true' END;
    merge CONSTANT text := 'INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, '
        'before_planning_ms, after_planning_ms, measured_by, applied_at, submitted_by, fleet_origin, fleet_id) '
        'SELECT v.optimization_id, v.before_execution_ms, v.after_execution_ms, v.before_planning_ms, '
        'v.after_planning_ms, v.measured_by, v.applied_at, v.submitted_by, v.fleet_origin, v.fleet_id '
        'FROM query_ml.fleet_feedback_to_merge v WHERE %s ORDER BY v.fleet_origin, v.fleet_id '
        'ON CONFLICT (fleet_origin, fleet_id) WHERE fleet_origin IS NOT NULL DO NOTHING';
    merged bigint := 0;
    one bigint;
    r record;
BEGIN
    BEGIN
        EXECUTE format(merge, filter) USING member, optimization, arrived;
        GET DIAGNOSTICS merged = ROW_COUNT;
        RETURN merged;
    EXCEPTION WHEN OTHERS THEN
        NULL;       -- one row at a time, below
    END;
    FOR r IN EXECUTE format('SELECT v.fleet_origin, v.fleet_id FROM query_ml.fleet_feedback_to_merge v WHERE %s', filter)
             USING member, optimization, arrived LOOP
        BEGIN
            EXECUTE format(merge, 'v.fleet_origin = $1 AND v.fleet_id = $2') USING r.fleet_origin, r.fleet_id;
            GET DIAGNOSTICS one = ROW_COUNT;
            merged := merged + one;
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO query_ml.fleet_refusals (member, table_name, origin, row_id, reason)
            VALUES (r.fleet_origin, 'member_feedback', r.fleet_origin, r.fleet_id,
                    format('not merged: %s (SQLSTATE %s)', SQLERRM, SQLSTATE));
        END;
    END LOOP;
    RETURN merged;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_merge_pending(text, bigint, xid8) IS
    'on a fleet''s hub: merges members'' feedback rows waiting for it (of one transaction, one optimization, one member or all) in one statement, refusing rows that fail';
