CREATE OR REPLACE FUNCTION query_ml.thresholds(OUT success numeric, OUT regression numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    SELECT max(coalesce(v.value, d.default_value)) FILTER (WHERE d.name = 'success_min_improvement')::numeric,
           max(coalesce(v.value, d.default_value)) FILTER (WHERE d.name = 'regression_threshold')::numeric
      INTO success, regression
      FROM query_ml.setting_definitions d LEFT JOIN query_ml.setting_values v ON v.name = d.name
     WHERE d.name IN ('success_min_improvement', 'regression_threshold');
END
$$;
COMMENT ON FUNCTION query_ml.thresholds() IS 'the improvement, in percent, at or above which feedback is a success, and below which it is a regression';
