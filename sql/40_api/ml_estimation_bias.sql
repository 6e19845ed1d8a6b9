CREATE OR REPLACE FUNCTION @extschema@.ml_estimation_bias(group_by text DEFAULT 'type')
RETURNS TABLE (key text, applications bigint, mean_error double precision, mean_abs_error double precision,
               verdict text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.check_choice('group_by', group_by, ARRAY['overall', 'type', 'pattern']);
    IF group_by NOT IN ('overall', 'type', 'pattern') THEN
        RAISE EXCEPTION 'query_ml: cannot group the estimation bias by "%"', group_by
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Group by overall, type or pattern.';
    END IF;
    RETURN QUERY
        SELECT g.key, g.n, query_ml.shown_percent(g.err), query_ml.shown_percent(g.abs_err), query_ml.bias_verdict(g.err)
          FROM (SELECT CASE group_by WHEN 'overall' THEN 'all' WHEN 'type' THEN p.optimization_type ELSE p.id::text END AS key,
                       sum(s.applications)::bigint AS n,
                       query_ml.mean_error(sum(s.sum_estimated), sum(s.sum_actual), sum(s.applications)) AS err,
                       (sum(s.sum_abs_error) / sum(s.applications))::double precision AS abs_err
                  FROM query_ml.pattern_stats s JOIN query_ml.patterns p ON p.id = s.pattern_id
                 GROUP BY 1 HAVING sum(s.applications) > 0) g
         ORDER BY abs(g.err) DESC, g.key;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_estimation_bias(text) IS
    'estimation bias overall, by type or by pattern: mean of estimated minus measured improvement (positive: estimates run high), mean absolute error and a verdict, rounded for reading';
