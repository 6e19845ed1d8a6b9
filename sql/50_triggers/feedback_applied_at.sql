CREATE OR REPLACE TRIGGER feedback_applied_at
    BEFORE INSERT OR UPDATE OF applied_at ON query_ml.feedback
    FOR EACH ROW WHEN (NOT query_ml.applied_at_ok(NEW.applied_at))
    EXECUTE FUNCTION query_ml.check_applied_at();
COMMENT ON TRIGGER feedback_applied_at ON query_ml.feedback IS
    'applied_at between 2000-01-01 and a day from now, on every path';
