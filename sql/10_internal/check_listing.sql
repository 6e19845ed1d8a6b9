CREATE OR REPLACE FUNCTION query_ml.check_listing(row_limit bigint, row_offset bigint)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF row_limit IS NULL OR row_limit < 0 OR row_limit > 100000 OR row_offset IS NULL OR row_offset < 0 THEN
        RAISE EXCEPTION 'query_ml: row_limit must lie between 0 and 100000 and row_offset must not be negative'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('row_limit is %s, row_offset %s.', coalesce(row_limit::text, 'NULL'),
                                  coalesce(row_offset::text, 'NULL'));
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_listing(bigint, bigint) IS 'rejects a negative, absurd or NULL limit or offset of a listing function';
