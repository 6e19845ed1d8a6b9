CREATE OR REPLACE FUNCTION query_ml.checked_limit(row_limit integer)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF row_limit IS NULL THEN
        RAISE EXCEPTION 'query_ml: row_limit must not be NULL'
            USING ERRCODE = 'null_value_not_allowed', HINT = 'Leave it out for the default.';
    END IF;
    IF row_limit NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'query_ml: the limit must lie between 1 and 1000, not %', row_limit
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN row_limit;
END
$$;
COMMENT ON FUNCTION query_ml.checked_limit(integer) IS 'the row limit of a matching function, or an error when it is not between 1 and 1000';
