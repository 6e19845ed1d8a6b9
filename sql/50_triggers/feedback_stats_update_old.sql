CREATE OR REPLACE TRIGGER feedback_stats_update_old
    AFTER UPDATE ON query_ml.feedback REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.feedback_stats('-1');
COMMENT ON TRIGGER feedback_stats_update_old ON query_ml.feedback IS 'subtracts the old versions of updated feedback rows from their patterns'' statistics';
