-- A bar of the gate (min_score, min_confidence): a probability or a confidence, so 0 to 1.
-- NULL passes: the setting stands in for it.
CREATE OR REPLACE FUNCTION query_ml.checked_bar(parameter text, value double precision)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF value = 'NaN'::double precision OR value < 0 OR value > 1 THEN
        RAISE EXCEPTION 'query_ml: % must lie between 0 and 1, not %', parameter, value
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Leave it out for the setting''s value.';
    END IF;
    RETURN value;
END
$$;
COMMENT ON FUNCTION query_ml.checked_bar(text, double precision) IS 'a min_score or min_confidence, refused outside 0 to 1';
