CREATE OR REPLACE TRIGGER patterns_create_stats
    AFTER INSERT ON query_ml.patterns REFERENCING NEW TABLE AS new_patterns
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.create_pattern_stats();
COMMENT ON TRIGGER patterns_create_stats ON query_ml.patterns IS 'every new pattern gets its statistics row';
