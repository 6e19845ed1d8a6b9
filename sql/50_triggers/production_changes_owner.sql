CREATE OR REPLACE TRIGGER production_changes_owner
    BEFORE UPDATE OR DELETE ON query_ml.production_changes
    FOR EACH ROW WHEN (OLD.marked_by <> CURRENT_USER)
    EXECUTE FUNCTION query_ml.check_owner('marked_by');
COMMENT ON TRIGGER production_changes_owner ON query_ml.production_changes IS
    'a writer changes or deletes only the marks it made';
