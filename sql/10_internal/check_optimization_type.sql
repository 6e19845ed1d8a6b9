CREATE OR REPLACE FUNCTION query_ml.check_optimization_type(optimization_type text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF optimization_type IS NOT NULL AND optimization_type NOT IN ('rewrite', 'index', 'setting', 'hint', 'other') THEN
        RAISE EXCEPTION 'query_ml: unknown optimization type "%"', optimization_type
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The types are rewrite, index, setting, hint, other.';
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_optimization_type(text) IS 'rejects an optimization type other than rewrite, index, setting, hint and other';
