CREATE OR REPLACE TRIGGER setting_values_check
    BEFORE INSERT OR UPDATE ON query_ml.setting_values
    FOR EACH ROW EXECUTE FUNCTION query_ml.check_setting_value();
COMMENT ON TRIGGER setting_values_check ON query_ml.setting_values IS 'rejects a setting value of the wrong type or out of range';
