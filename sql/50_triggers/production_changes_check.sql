CREATE OR REPLACE TRIGGER production_changes_check
    BEFORE INSERT OR UPDATE OF applied_at, optimization_id ON query_ml.production_changes
    FOR EACH ROW EXECUTE FUNCTION query_ml.check_production_change();
COMMENT ON TRIGGER production_changes_check ON query_ml.production_changes IS
    'only the optimization''s recorder or an admin marks it applied in production, at a valid time, before its verification';
