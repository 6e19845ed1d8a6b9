-- Marks an optimization as applied in production at a time (README, "Workload"): the captured
-- workload then verifies it (query_ml.verify_production_changes).  A writer marks once; an admin
-- marking again moves the time until the change is verified.  It runs with the caller's rights: the table's grants and its
-- trigger (query_ml.check_production_change) say who may mark what.
CREATE OR REPLACE FUNCTION @extschema@.ml_mark_applied(optimization_id bigint, applied_at timestamptz DEFAULT now())
RETURNS TABLE (change_id bigint, status text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    optimization CONSTANT bigint := $1;
    applied CONSTANT timestamptz := $2;
BEGIN
    IF optimization IS NULL OR applied IS NULL THEN
        RAISE EXCEPTION 'query_ml: % must not be NULL', CASE WHEN optimization IS NULL THEN 'optimization_id' ELSE 'applied_at' END
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = CASE WHEN optimization IS NULL THEN 'ml_record_optimization() returns the id.'
                              ELSE 'Leave applied_at out for now.' END;
    END IF;
    IF NOT EXISTS (SELECT FROM query_ml.optimizations o WHERE o.id = optimization) THEN
        RAISE EXCEPTION 'query_ml: optimization % does not exist', optimization
            USING ERRCODE = 'no_data_found', HINT = 'ml_record_optimization() records one and returns its id.';
    END IF;
    IF EXISTS (SELECT FROM query_ml.production_changes c WHERE c.optimization_id = optimization AND c.verified_at IS NOT NULL) THEN
        RAISE EXCEPTION 'query_ml: optimization % was already verified in production', optimization
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Its verification is feedback, measured_by pg_stat_statements.',
                  HINT = 'Record a new optimization for a new change.';
    END IF;
    -- A writer marks once: moving a pending mark until the sides look good is an admin's call.
    IF EXISTS (SELECT FROM query_ml.production_changes c WHERE c.optimization_id = optimization)
       AND NOT pg_has_role(current_user, 'query_ml_admin', 'USAGE') THEN
        RAISE EXCEPTION 'query_ml: optimization % is already marked as applied at %', optimization,
                        (SELECT c.applied_at FROM query_ml.production_changes c WHERE c.optimization_id = optimization)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'A query_ml_admin can move the time by marking it again.';
    END IF;
    -- ON CONFLICT DO UPDATE needs UPDATE, which writers lack: an admin's mark moves, a writer's is new.
    IF pg_has_role(current_user, 'query_ml_admin', 'USAGE') THEN
        RETURN QUERY
            INSERT INTO query_ml.production_changes AS c (optimization_id, applied_at) VALUES (optimization, applied)
            ON CONFLICT ON CONSTRAINT production_changes_optimization_id_key DO UPDATE SET applied_at = excluded.applied_at
            RETURNING c.id, 'pending'::text;
    ELSE
        RETURN QUERY
            INSERT INTO query_ml.production_changes AS c (optimization_id, applied_at) VALUES (optimization, applied)
            RETURNING c.id, 'pending'::text;
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_mark_applied(bigint, timestamptz) IS
    'marks an optimization as applied in production at a time (default now): the captured workload verifies it into one feedback row once enough calls lie on each side';
