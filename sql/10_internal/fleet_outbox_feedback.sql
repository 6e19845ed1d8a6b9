-- Trigger, on a member: keeps member_feedback, what it publishes to the hub, equal to its
-- feedback (query_ml.outbox_feedback).  A TRUNCATE is published as the deletion of every row:
-- the publication leaves TRUNCATE out, since on the hub it would empty every member's rows.
CREATE OR REPLACE FUNCTION query_ml.fleet_outbox_feedback()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF query_ml.fleet_kind() IS DISTINCT FROM 'member' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM query_ml.member_feedback m USING query_ml.fleet_identity i WHERE m.origin = i.cluster_name;
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM query_ml.member_feedback m
         USING old_rows o, query_ml.fleet_identity i
         WHERE m.origin = i.cluster_name AND m.id = o.id;
        RETURN NULL;
    END IF;
    -- INSERT or UPDATE (ids are identities, never updated)
    INSERT INTO query_ml.member_feedback AS m
    SELECT x.* FROM new_rows f CROSS JOIN LATERAL query_ml.outbox_feedback(f) x
    ON CONFLICT (origin, id) DO UPDATE
       SET optimization_id = excluded.optimization_id, before_execution_ms = excluded.before_execution_ms,
           after_execution_ms = excluded.after_execution_ms, before_planning_ms = excluded.before_planning_ms,
           after_planning_ms = excluded.after_planning_ms, applied_at = excluded.applied_at
     WHERE (m.optimization_id, m.before_execution_ms, m.after_execution_ms, m.before_planning_ms,
            m.after_planning_ms, m.applied_at)
           IS DISTINCT FROM (excluded.optimization_id, excluded.before_execution_ms, excluded.after_execution_ms,
                             excluded.before_planning_ms, excluded.after_planning_ms, excluded.applied_at);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_outbox_feedback() IS
    'trigger, on a fleet member: keeps member_feedback (what it publishes) equal to its feedback''s timings';
