CREATE OR REPLACE TRIGGER setting_values_truncate
    AFTER TRUNCATE ON query_ml.setting_values
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.thresholds_changed();
COMMENT ON TRIGGER setting_values_truncate ON query_ml.setting_values IS
    'recounts every pattern when a TRUNCATE puts the thresholds back to their defaults';
