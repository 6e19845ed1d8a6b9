CREATE OR REPLACE TRIGGER feedback_provenance_update
    BEFORE UPDATE ON query_ml.feedback
    FOR EACH ROW WHEN (OLD.measured_by NOT IN ('manual', 'import') AND (
        NEW.before_execution_ms, NEW.after_execution_ms, NEW.before_planning_ms, NEW.after_planning_ms,
        NEW.before_rows, NEW.after_rows, NEW.before_shared_hit, NEW.before_shared_read, NEW.after_shared_hit,
        NEW.after_shared_read, NEW.runs, NEW.applied_at, NEW.optimization_id)
      IS DISTINCT FROM (
        OLD.before_execution_ms, OLD.after_execution_ms, OLD.before_planning_ms, OLD.after_planning_ms,
        OLD.before_rows, OLD.after_rows, OLD.before_shared_hit, OLD.before_shared_read, OLD.after_shared_hit,
        OLD.after_shared_read, OLD.runs, OLD.applied_at, OLD.optimization_id))
    EXECUTE FUNCTION query_ml.check_provenance();
COMMENT ON TRIGGER feedback_provenance_update ON query_ml.feedback IS
    'the metrics of feedback that query_ml measured are edited by an admin only';
