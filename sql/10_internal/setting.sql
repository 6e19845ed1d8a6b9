-- The effective value is the settings view's rule, read here and by query_ml.thresholds.
CREATE OR REPLACE FUNCTION query_ml.setting(setting_name text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result text;
BEGIN
    SELECT s.value INTO result FROM query_ml.settings s WHERE s.name = setting_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: unknown setting "%"', setting_name
            USING ERRCODE = 'undefined_object', HINT = 'SELECT name FROM ml_settings() lists the settings.';
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION query_ml.setting(text) IS 'the effective value of one query_ml setting, as text';
