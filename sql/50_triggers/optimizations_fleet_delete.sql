CREATE OR REPLACE TRIGGER optimizations_fleet_delete
    AFTER DELETE ON query_ml.optimizations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.fleet_outbox_optimizations();
COMMENT ON TRIGGER optimizations_fleet_delete ON query_ml.optimizations IS
    'on a fleet member: what it publishes of its optimizations follows this delete (query_ml.member_optimizations)';
