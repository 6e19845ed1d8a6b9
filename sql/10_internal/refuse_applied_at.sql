CREATE OR REPLACE FUNCTION query_ml.refuse_applied_at(applied_at timestamptz)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'query_ml: applied_at must lie between 2000-01-01 and a day from now, not %', applied_at
        USING ERRCODE = 'invalid_parameter_value', HINT = 'It is when the optimization was measured, or applied.';
END
$$;
COMMENT ON FUNCTION query_ml.refuse_applied_at(timestamptz) IS 'raises the error of an applied_at outside 2000-01-01 .. a day from now';
