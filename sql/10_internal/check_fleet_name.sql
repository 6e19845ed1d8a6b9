-- A fleet name: what the tables' CHECKs hold, and short enough for the slot and subscription
-- names made of it (query_ml.fleet_name) to fit PostgreSQL's 63 bytes.
CREATE OR REPLACE FUNCTION query_ml.check_fleet_name(fleet_name text, hint text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF fleet_name IS NULL OR fleet_name !~ '^[a-z][a-z0-9_]{0,29}$' THEN
        RAISE EXCEPTION 'query_ml: a fleet name is a lowercase letter, then up to 29 lowercase letters, digits or underscores, not %',
            coalesce(quote_literal(left(fleet_name, 100)), 'NULL')
            USING ERRCODE = 'invalid_parameter_value', HINT = hint;
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_fleet_name(text, text) IS
    'errors (22023) unless a text is a fleet name: a lowercase letter, then up to 29 lowercase letters, digits or underscores';
