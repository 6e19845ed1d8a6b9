CREATE OR REPLACE FUNCTION @extschema@.ml_reset_setting(setting_name text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM query_ml.setting_values WHERE name = setting_name;
    RETURN query_ml.setting(setting_name);
END
$$;
COMMENT ON FUNCTION @extschema@.ml_reset_setting(text) IS 'restores the default of a query_ml setting; returns that default';
