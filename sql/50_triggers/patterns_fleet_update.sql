CREATE OR REPLACE TRIGGER patterns_fleet_update
    AFTER UPDATE OF optimization_type, optimized_template, source_id ON query_ml.patterns
    FOR EACH ROW
    WHEN ((OLD.optimization_type, OLD.optimized_template, OLD.source_id)
          IS DISTINCT FROM (NEW.optimization_type, NEW.optimized_template, NEW.source_id))
    EXECUTE FUNCTION query_ml.fleet_outbox_patterns();
COMMENT ON TRIGGER patterns_fleet_update ON query_ml.patterns IS
    'on a fleet member: a pattern''s new type, template or scope reaches what it publishes of its optimizations';
