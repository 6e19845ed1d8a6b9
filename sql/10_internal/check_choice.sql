-- One check for every parameter that takes one of a few words (group_by, ranking, status).
CREATE OR REPLACE FUNCTION query_ml.check_choice(parameter text, value text, choices text[], nullable boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF value IS NULL AND NOT nullable THEN
        RAISE EXCEPTION 'query_ml: % must not be NULL', parameter USING ERRCODE = 'null_value_not_allowed',
            HINT = format('%s is one of %s.', parameter, array_to_string(choices, ', '));
    END IF;
    IF value IS NOT NULL AND value <> ALL (choices) THEN
        RAISE EXCEPTION 'query_ml: unknown % "%"', parameter, left(value, 63) USING ERRCODE = 'invalid_parameter_value',
            HINT = format('%s is one of %s.', parameter, array_to_string(choices, ', '));
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_choice(text, text, text[], boolean) IS
    'rejects a parameter value outside its few allowed words (22023), or NULL where it is not allowed (22004)';
