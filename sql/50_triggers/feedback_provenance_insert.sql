CREATE OR REPLACE TRIGGER feedback_provenance_insert
    BEFORE INSERT ON query_ml.feedback
    FOR EACH ROW WHEN (NEW.measured_by NOT IN ('manual', 'import'))
    EXECUTE FUNCTION query_ml.check_provenance();
COMMENT ON TRIGGER feedback_provenance_insert ON query_ml.feedback IS
    'only query_ml itself (or an admin) inserts feedback that claims to be measured by it';
