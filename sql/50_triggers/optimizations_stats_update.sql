CREATE OR REPLACE TRIGGER optimizations_stats_update
    AFTER UPDATE ON query_ml.optimizations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.optimizations_stats();
COMMENT ON TRIGGER optimizations_stats_update ON query_ml.optimizations IS 'recomputes the statistics of patterns whose optimizations were updated';
