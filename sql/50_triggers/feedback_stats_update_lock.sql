CREATE OR REPLACE TRIGGER feedback_stats_update_lock
    AFTER UPDATE ON query_ml.feedback REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.feedback_update_locks();
COMMENT ON TRIGGER feedback_stats_update_lock ON query_ml.feedback IS
    'locks the statistics of the patterns an UPDATE touches before feedback_stats_update_new and _old count it';
