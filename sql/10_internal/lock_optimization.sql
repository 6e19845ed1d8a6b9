-- A writer's feedback holds its optimization row with KEY SHARE (the foreign key) while its
-- statistics are counted with that row's pattern and estimate.  A change of either takes the
-- row FOR UPDATE, which waits for such writers and makes new ones wait: no feedback is
-- counted with a pattern or estimate that is being replaced.
CREATE OR REPLACE FUNCTION query_ml.lock_optimization()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM FROM query_ml.optimizations o WHERE o.id = OLD.id FOR UPDATE;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION query_ml.lock_optimization() IS
    'trigger: an optimization whose pattern or estimate changes is locked against feedback being counted with the old ones';
