-- Trigger, on the hub, after each replicated update or delete of a member_feedback row: the hub's
-- feedback row that stands for it changes or goes, and the statistics triggers of the hub's
-- feedback keep the fleet's statistics exact.  (New rows are merged together when their
-- transaction commits: query_ml.fleet_merge_arrivals.)  A row that cannot be merged is recorded
-- in fleet_refusals and replication goes on.
CREATE OR REPLACE FUNCTION query_ml.fleet_merge_feedback()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF query_ml.fleet_kind() IS DISTINCT FROM 'hub' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM query_ml.feedback f WHERE f.fleet_origin = OLD.origin AND f.fleet_id = OLD.id;
        RETURN NULL;
    END IF;
    PERFORM query_ml.lock_fleet_member(NEW.origin);
    BEGIN
        UPDATE query_ml.feedback f
           SET optimization_id = o.id, before_execution_ms = NEW.before_execution_ms,
               after_execution_ms = NEW.after_execution_ms, before_planning_ms = NEW.before_planning_ms,
               after_planning_ms = NEW.after_planning_ms, applied_at = NEW.applied_at
          FROM query_ml.optimizations o
         WHERE f.fleet_origin = NEW.origin AND f.fleet_id = NEW.id
           AND o.fleet_origin = NEW.origin AND o.fleet_id = NEW.optimization_id;
        IF NOT FOUND THEN
            -- Not merged yet (refused before, say), or moved to an optimization the hub does not
            -- have: the hub's row goes, and the row waits for its optimization, or merges now.
            DELETE FROM query_ml.feedback f WHERE f.fleet_origin = NEW.origin AND f.fleet_id = NEW.id;
            PERFORM query_ml.fleet_merge_pending(NEW.origin, NEW.optimization_id);
        END IF;
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO query_ml.fleet_refusals (member, table_name, origin, row_id, reason)
        VALUES (NEW.origin, TG_TABLE_NAME, NEW.origin, NEW.id, format('not merged: %s (SQLSTATE %s)', SQLERRM, SQLSTATE));
    END;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_merge_feedback() IS
    'trigger, on a fleet''s hub: a member''s updated or deleted feedback row changes or removes the hub''s row that stands for it';
