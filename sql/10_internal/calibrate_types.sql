CREATE OR REPLACE FUNCTION query_ml.calibrate_types()
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM query_ml.type_calibration;
    INSERT INTO query_ml.type_calibration (optimization_type, applications, mean_error)
    SELECT p.optimization_type, sum(s.applications),
           query_ml.mean_error(sum(s.sum_estimated), sum(s.sum_actual), sum(s.applications))
      FROM query_ml.pattern_stats s JOIN query_ml.patterns p ON p.id = s.pattern_id
     GROUP BY p.optimization_type
    HAVING sum(s.applications) > 0;
END
$$;
COMMENT ON FUNCTION query_ml.calibrate_types() IS 'measures each optimization type''s estimation bias (mean estimated minus measured) from the maintained sums';
