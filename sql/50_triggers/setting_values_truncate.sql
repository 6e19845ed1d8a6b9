CREATE OR REPLACE TRIGGER setting_values_truncate
    BEFORE TRUNCATE ON query_ml.setting_values
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.refuse_truncate();
COMMENT ON TRIGGER setting_values_truncate ON query_ml.setting_values IS
    'refuses TRUNCATE: DELETE resets the settings and recounts without deadlocking against writers';
