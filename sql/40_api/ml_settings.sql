CREATE OR REPLACE FUNCTION @extschema@.ml_settings()
RETURNS SETOF query_ml.settings
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM query_ml.settings ORDER BY name;
END;
COMMENT ON FUNCTION @extschema@.ml_settings() IS 'every query_ml setting with its effective value, default, range and meaning';
