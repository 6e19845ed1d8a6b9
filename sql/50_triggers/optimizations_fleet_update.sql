CREATE OR REPLACE TRIGGER optimizations_fleet_update
    AFTER UPDATE ON query_ml.optimizations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.fleet_outbox_optimizations();
COMMENT ON TRIGGER optimizations_fleet_update ON query_ml.optimizations IS
    'on a fleet member: what it publishes of its optimizations follows this update (query_ml.member_optimizations)';
