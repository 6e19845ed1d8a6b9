CREATE OR REPLACE FUNCTION query_ml.setting(setting_name text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result text;
BEGIN
    SELECT coalesce(v.value, d.default_value) INTO result
      FROM query_ml.setting_definitions d
      LEFT JOIN query_ml.setting_values v ON v.name = d.name
     WHERE d.name = setting_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: unknown setting "%"', setting_name
            USING ERRCODE = 'undefined_object', HINT = 'SELECT name FROM ml_settings() lists the settings.';
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION query_ml.setting(text) IS 'the effective value of one query_ml setting, as text';
