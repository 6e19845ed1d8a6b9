CREATE OR REPLACE TRIGGER feedback_verified_delete
    BEFORE DELETE ON query_ml.feedback
    FOR EACH ROW WHEN (OLD.measured_by = 'pg_stat_statements')
    EXECUTE FUNCTION query_ml.check_verified_delete();
COMMENT ON TRIGGER feedback_verified_delete ON query_ml.feedback IS
    'a verification in production is deleted by a query_ml_admin only';
