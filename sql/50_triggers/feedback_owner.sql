CREATE OR REPLACE TRIGGER feedback_owner
    BEFORE UPDATE OR DELETE ON query_ml.feedback
    FOR EACH ROW WHEN (OLD.submitted_by <> CURRENT_USER)
    EXECUTE FUNCTION query_ml.check_owner('submitted_by');
COMMENT ON TRIGGER feedback_owner ON query_ml.feedback IS
    'a writer changes or deletes only the feedback it submitted';
