CREATE OR REPLACE FUNCTION query_ml.check_listing(row_limit bigint, row_offset bigint)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF row_limit IS NULL OR row_offset IS NULL THEN
        RAISE EXCEPTION 'query_ml: row_limit and row_offset must not be NULL'
            USING ERRCODE = 'null_value_not_allowed', HINT = 'Leave them out for the defaults.';
    END IF;
    IF row_limit < 0 OR row_limit > 100000 OR row_offset < 0 THEN
        RAISE EXCEPTION 'query_ml: row_limit must lie between 0 and 100000 and row_offset must not be negative'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('row_limit is %s, row_offset %s.', row_limit, row_offset);
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_listing(bigint, bigint) IS 'rejects a NULL, negative or absurd (above 100000) limit or offset of a listing function';
