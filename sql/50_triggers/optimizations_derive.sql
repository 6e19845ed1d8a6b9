CREATE OR REPLACE TRIGGER optimizations_derive
    BEFORE INSERT OR UPDATE OF original_query, pattern_id ON query_ml.optimizations
    FOR EACH ROW EXECUTE FUNCTION query_ml.derive_row();
COMMENT ON TRIGGER optimizations_derive ON query_ml.optimizations IS
    'stores the original query normalized, and refuses one that does not fit its pattern';
