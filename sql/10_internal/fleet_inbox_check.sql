-- Trigger, on the hub, before each replicated row of member_optimizations or member_feedback:
--   * a member's subscription applies only rows of that member's name: a row naming another
--     member is refused (recorded in fleet_refusals, skipped), so no member can add, change or
--     delete another member's rows;
--   * a row's key (origin, id) never changes: ids are identities on a member, so an update that
--     changes one was written by hand, and is refused rather than let collide with a stored row;
--   * a row that is there already (a member removed with its history kept, then added again,
--     copies its rows again) updates the stored one, or is skipped when equal: no row conflicts
--     and stops an apply worker.
-- Outside an apply worker (a member's own rows, a superuser's repair) rows pass.
CREATE OR REPLACE FUNCTION query_ml.fleet_inbox_check()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    member CONSTANT text := query_ml.fleet_applying_member();
    claimed text;
    refusal text;
    stored jsonb;
BEGIN
    IF member IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    claimed := CASE WHEN TG_OP = 'DELETE' THEN OLD.origin ELSE NEW.origin END;
    IF claimed <> member OR (TG_OP = 'UPDATE' AND OLD.origin <> member) THEN
        refusal := format('%s of a row of origin %s, applied by the subscription of member %s', lower(TG_OP),
                          left(CASE WHEN TG_OP = 'UPDATE' AND OLD.origin <> member THEN OLD.origin ELSE claimed END, 100),
                          member);
    ELSIF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
        refusal := format('update of row %s to id %s: ids do not change', OLD.id, NEW.id);
    END IF;
    IF refusal IS NOT NULL THEN
        INSERT INTO query_ml.fleet_refusals (member, table_name, origin, row_id, reason)
        VALUES (member, TG_TABLE_NAME, left(claimed, 100), CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
                refusal);
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    -- An insert of a row stored already: the stored row takes its values (its merge follows them).
    -- Static statements, the one of this table, so that each keeps its plan.
    IF TG_TABLE_NAME = 'member_feedback' THEN
        SELECT to_jsonb(t) - 'arrived_xid' INTO stored FROM query_ml.member_feedback t
         WHERE t.origin = NEW.origin AND t.id = NEW.id;
        IF stored IS NOT NULL AND stored <> to_jsonb(NEW) - 'arrived_xid' THEN
            UPDATE query_ml.member_feedback t
               SET optimization_id = NEW.optimization_id, before_execution_ms = NEW.before_execution_ms,
                   after_execution_ms = NEW.after_execution_ms, before_planning_ms = NEW.before_planning_ms,
                   after_planning_ms = NEW.after_planning_ms, measured_by = NEW.measured_by,
                   applied_at = NEW.applied_at, created_at = NEW.created_at, submitted_by = NEW.submitted_by
             WHERE t.origin = NEW.origin AND t.id = NEW.id;
        END IF;
    ELSE
        SELECT to_jsonb(t) INTO stored FROM query_ml.member_optimizations t
         WHERE t.origin = NEW.origin AND t.id = NEW.id;
        IF stored IS NOT NULL AND stored <> to_jsonb(NEW) THEN
            UPDATE query_ml.member_optimizations t
               SET original_query = NEW.original_query, optimization_type = NEW.optimization_type,
                   optimized_template = NEW.optimized_template, source_name = NEW.source_name,
                   source_dialect = NEW.source_dialect, shared = NEW.shared,
                   estimated_improvement = NEW.estimated_improvement, created_by = NEW.created_by,
                   created_at = NEW.created_at
             WHERE t.origin = NEW.origin AND t.id = NEW.id;
        END IF;
    END IF;
    RETURN CASE WHEN stored IS NULL THEN NEW END;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_inbox_check() IS
    'trigger, on a fleet''s hub: a member''s subscription applies only that member''s rows, ids never change, and a row stored already is updated instead of conflicting';
