CREATE OR REPLACE TRIGGER feedback_stats_update_new
    AFTER UPDATE ON query_ml.feedback REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.feedback_stats('+1');
COMMENT ON TRIGGER feedback_stats_update_new ON query_ml.feedback IS 'adds the new versions of updated feedback rows to their patterns'' statistics';
