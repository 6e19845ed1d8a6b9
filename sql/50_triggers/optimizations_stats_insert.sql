CREATE OR REPLACE TRIGGER optimizations_stats_insert
    AFTER INSERT ON query_ml.optimizations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.optimizations_stats();
COMMENT ON TRIGGER optimizations_stats_insert ON query_ml.optimizations IS 'marks patterns that gained an optimization changed, for the next ml_refine()';
