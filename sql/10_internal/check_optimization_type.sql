CREATE OR REPLACE FUNCTION query_ml.check_optimization_type(optimization_type text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF optimization_type IS NOT NULL
       AND NOT EXISTS (SELECT FROM query_ml.optimization_types t WHERE t.name = optimization_type) THEN
        RAISE EXCEPTION 'query_ml: unknown optimization type "%"', left(optimization_type, 63)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = (SELECT 'The types are ' || string_agg(t.name, ', ' ORDER BY t.name) || '.'
                            FROM query_ml.optimization_types t);
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_optimization_type(text) IS 'rejects an optimization type that query_ml.optimization_types does not list';
