CREATE OR REPLACE TRIGGER feedback_stats_truncate
    AFTER TRUNCATE ON query_ml.feedback
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.feedback_truncated();
COMMENT ON TRIGGER feedback_stats_truncate ON query_ml.feedback IS 'empties pattern statistics when the feedback table is truncated';
