CREATE OR REPLACE FUNCTION @extschema@.ml_accuracy_verdict(days integer DEFAULT 30)
RETURNS TABLE (verdict text, first_half double precision, second_half double precision, change_points double precision,
               first_half_feedback bigint, second_half_feedback bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    middle timestamptz;
BEGIN
    PERFORM query_ml.check_window(days);
    middle := now() - make_interval(days => days) / 2;
    RETURN QUERY
        SELECT CASE WHEN h.first_n = 0 OR h.second_n = 0 THEN 'not enough data'
                    WHEN (h.second_acc - h.first_acc) * 100 > 5 THEN 'improving'
                    WHEN (h.second_acc - h.first_acc) * 100 < -5 THEN 'declining'
                    ELSE 'stable' END,
               query_ml.shown_fraction(h.first_acc), query_ml.shown_fraction(h.second_acc),
               query_ml.shown_percent((h.second_acc - h.first_acc) * 100), h.first_n, h.second_n
          FROM (SELECT avg(a) FILTER (WHERE f.applied_at < middle)::double precision AS first_acc,
                       avg(a) FILTER (WHERE f.applied_at >= middle)::double precision AS second_acc,
                       count(*) FILTER (WHERE f.applied_at < middle) AS first_n,
                       count(*) FILTER (WHERE f.applied_at >= middle) AS second_n
                  FROM query_ml.feedback f
                  JOIN query_ml.optimizations o ON o.id = f.optimization_id
                 CROSS JOIN LATERAL (SELECT query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement) AS a) x
                 WHERE f.applied_at >= now() - make_interval(days => days) AND f.applied_at <= now()) h;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_accuracy_verdict(integer) IS
    'improving, declining or stable: the accuracy of the second half of the window against the first, at plus or minus 5 points; at most 3650 days; rounded for reading';
