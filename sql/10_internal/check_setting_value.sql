-- Guards plain INSERT and UPDATE on setting_values as well as ml_set_setting().
CREATE OR REPLACE FUNCTION query_ml.check_setting_value()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    def query_ml.setting_definitions;
    number numeric;
BEGIN
    SELECT * INTO def FROM query_ml.setting_definitions WHERE name = NEW.name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: unknown setting "%"', NEW.name
            USING ERRCODE = 'undefined_object', HINT = 'SELECT name FROM ml_settings() lists the settings.';
    END IF;
    IF def.value_type = 'boolean' THEN
        BEGIN
            NEW.value := NEW.value::boolean::text;
        EXCEPTION WHEN invalid_text_representation THEN
            RAISE EXCEPTION 'query_ml: setting "%" takes a boolean, not "%"', NEW.name, NEW.value
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Use true or false.';
        END;
        RETURN NEW;
    END IF;
    BEGIN
        number := NEW.value::numeric;
    EXCEPTION WHEN invalid_text_representation THEN
        RAISE EXCEPTION 'query_ml: setting "%" takes a number, not "%"', NEW.name, NEW.value
            USING ERRCODE = 'invalid_parameter_value';
    END;
    IF def.value_type = 'integer' AND number <> trunc(number) THEN
        RAISE EXCEPTION 'query_ml: setting "%" takes a whole number, not %', NEW.name, NEW.value
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF number < def.min_value OR number > def.max_value OR number = 'NaN' THEN
        RAISE EXCEPTION 'query_ml: setting "%" must lie between % and %, not %', NEW.name, def.min_value, def.max_value, NEW.value
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = format('ml_reset_setting(%L) restores the default, %s.', NEW.name, def.default_value);
    END IF;
    NEW.value := number::text;
    -- An INSERT takes the column defaults unless it brings its own, as pg_restore does.
    IF TG_OP = 'UPDATE' THEN
        NEW.changed_at := now();
        NEW.changed_by := current_user;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION query_ml.check_setting_value() IS 'trigger: rejects a setting value of the wrong type or out of range, with the range in the message';
