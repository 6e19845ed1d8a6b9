CREATE OR REPLACE TRIGGER feedback_stats_delete
    AFTER DELETE ON query_ml.feedback REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.feedback_stats('-1');
COMMENT ON TRIGGER feedback_stats_delete ON query_ml.feedback IS 'subtracts deleted feedback rows from their patterns'' statistics';
