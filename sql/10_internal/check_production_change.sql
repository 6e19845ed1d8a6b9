-- Trigger: a change is marked by the role that recorded the optimization (or a query_ml_admin),
-- at a time feedback may carry, never moved once verified, and never marked again once
-- verified (writers may not delete marks either: 60_privileges.sql).
CREATE OR REPLACE FUNCTION query_ml.check_production_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    recorder name;
BEGIN
    IF NOT query_ml.applied_at_ok(NEW.applied_at) THEN
        PERFORM query_ml.refuse_applied_at(NEW.applied_at);
    END IF;
    -- Verified once: a change deleted and marked again must not measure the same calls again.
    IF TG_OP = 'INSERT' AND EXISTS (SELECT FROM query_ml.feedback f
                                     WHERE f.optimization_id = NEW.optimization_id AND f.measured_by = 'pg_stat_statements') THEN
        RAISE EXCEPTION 'query_ml: optimization % was already verified in production', NEW.optimization_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'It has feedback measured_by pg_stat_statements.',
                  HINT = 'Record a new optimization for a new change.';
    END IF;
    -- One change of a query shape at a time: two marks of patterns of one fingerprint within a
    -- window would each be verified from the same captured calls.
    IF EXISTS (SELECT FROM query_ml.production_changes c
                 JOIN query_ml.optimizations o ON o.id = c.optimization_id
                 JOIN query_ml.patterns p ON p.id = o.pattern_id
                WHERE p.fingerprint = (SELECT q.fingerprint FROM query_ml.optimizations n
                                         JOIN query_ml.patterns q ON q.id = n.pattern_id WHERE n.id = NEW.optimization_id)
                  AND c.optimization_id <> NEW.optimization_id
                  AND abs(extract(epoch FROM c.applied_at - NEW.applied_at))
                      < 2 * query_ml.setting('verify_window_hours')::double precision * 3600) THEN
        RAISE EXCEPTION 'query_ml: another change of the query shape of optimization % is marked within twice verify_window_hours of %',
                        NEW.optimization_id, NEW.applied_at
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Both would be verified from the same captured calls.',
                  HINT = 'ml_production_changes() lists the marks; mark a later change once the windows no longer meet.';
    END IF;
    IF pg_catalog.pg_has_role(current_user, 'query_ml_admin', 'USAGE') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.verified_at IS NOT NULL THEN
        RAISE EXCEPTION 'query_ml: optimization % was already verified in production', OLD.optimization_id
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Record a new optimization for a new change.';
    END IF;
    SELECT o.created_by INTO recorder FROM query_ml.optimizations o WHERE o.id = NEW.optimization_id;
    IF NOT FOUND THEN
        RETURN NEW;         -- the foreign key names the missing optimization
    END IF;
    IF recorder <> current_user THEN
        RAISE EXCEPTION 'query_ml: optimization % was recorded by %, and only that role or a query_ml_admin may mark it applied',
                        NEW.optimization_id, recorder
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Mark the optimizations you recorded yourself, or ask a query_ml_admin.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION query_ml.check_production_change() IS
    'trigger: only the optimization''s recorder (or an admin) marks it applied in production, at a valid time, and not after its verification';
