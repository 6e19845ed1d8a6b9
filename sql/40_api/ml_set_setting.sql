CREATE OR REPLACE FUNCTION @extschema@.ml_set_setting(setting_name text, new_value text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stored text;
BEGIN
    IF setting_name IS NULL OR new_value IS NULL THEN
        RAISE EXCEPTION 'query_ml: setting name and value must not be NULL'
            USING ERRCODE = 'null_value_not_allowed', HINT = 'ml_reset_setting(name) restores a default.';
    END IF;
    INSERT INTO query_ml.setting_values AS s (name, value) VALUES (setting_name, new_value)
        ON CONFLICT (name) DO UPDATE SET value = excluded.value
        RETURNING s.value INTO stored;
    RETURN stored;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_set_setting(text, text) IS 'sets a query_ml setting after checking its type and range; returns the stored value';
