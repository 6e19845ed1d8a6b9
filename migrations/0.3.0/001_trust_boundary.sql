-- 0.3.0: the trust boundary.  ml_track gains optimized => (the SQL to run, for anyone but
-- the role that stored it), so the old signatures go; sql/ creates the new ones.
DROP FUNCTION IF EXISTS @extschema@.ml_track(bigint, integer, text, integer);
DROP FUNCTION IF EXISTS query_ml.track(bigint, integer, text, integer, text);

INSERT INTO query_ml.setting_definitions (name, value_type, default_value, min_value, max_value, description) VALUES
    ('track_lock_timeout_ms', 'integer', '1000', 1, 600000,
     'the longest ml_track() waits for the lock its index build needs on the table, in milliseconds');

-- Who registered each source: only that role, or an admin, may change it.  Sources registered
-- before 0.3.0 are counted as the updating role's.
ALTER TABLE query_ml.sources ADD COLUMN created_by name NOT NULL DEFAULT current_user;
COMMENT ON COLUMN query_ml.sources.created_by IS 'the role that registered the source; only it or a query_ml_admin may change it';

-- concrete_sql gains the caller's search_path, to check another role's SQL against it.
DROP FUNCTION IF EXISTS query_ml.concrete_sql(bigint, text, text);
