CREATE OR REPLACE TRIGGER optimizations_fleet_insert
    AFTER INSERT ON query_ml.optimizations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.fleet_outbox_optimizations();
COMMENT ON TRIGGER optimizations_fleet_insert ON query_ml.optimizations IS
    'on a fleet member: what it publishes of its optimizations follows this insert (query_ml.member_optimizations)';
