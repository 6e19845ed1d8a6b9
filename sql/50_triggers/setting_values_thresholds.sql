CREATE OR REPLACE TRIGGER setting_values_thresholds
    AFTER INSERT OR UPDATE OR DELETE ON query_ml.setting_values
    FOR EACH ROW EXECUTE FUNCTION query_ml.thresholds_changed();
COMMENT ON TRIGGER setting_values_thresholds ON query_ml.setting_values IS 'recounts successes and regressions when their thresholds change, and marks every pattern for the next ml_refine() when a setting of learning changes';
