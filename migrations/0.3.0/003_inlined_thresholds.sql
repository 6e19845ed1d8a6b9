-- query_ml.thresholds() becomes a set-returning SQL function, which the planner can inline; a
-- function cannot change that in place.  The old one steps aside under another name, sql/
-- creates the new one and rebinds the objects that used the old, and sql/99_retired.sql drops it.
DO $$
BEGIN
    IF to_regprocedure('query_ml.thresholds()') IS NOT NULL THEN
        ALTER FUNCTION query_ml.thresholds() RENAME TO thresholds_retired;
    END IF;
END
$$;
