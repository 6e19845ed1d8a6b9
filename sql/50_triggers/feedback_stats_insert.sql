CREATE OR REPLACE TRIGGER feedback_stats_insert
    AFTER INSERT ON query_ml.feedback REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.feedback_stats('+1');
COMMENT ON TRIGGER feedback_stats_insert ON query_ml.feedback IS 'adds inserted feedback rows to their patterns'' statistics';
