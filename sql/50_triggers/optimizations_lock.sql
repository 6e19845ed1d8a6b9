CREATE OR REPLACE TRIGGER optimizations_lock
    BEFORE UPDATE OF pattern_id, estimated_improvement ON query_ml.optimizations
    FOR EACH ROW WHEN (OLD.pattern_id IS DISTINCT FROM NEW.pattern_id
                       OR OLD.estimated_improvement IS DISTINCT FROM NEW.estimated_improvement)
    EXECUTE FUNCTION query_ml.lock_optimization();
COMMENT ON TRIGGER optimizations_lock ON query_ml.optimizations IS
    'waits for feedback in flight before an optimization''s pattern or estimate changes';
