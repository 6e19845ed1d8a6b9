CREATE OR REPLACE FUNCTION query_ml.stats_differences()
RETURNS TABLE (pattern_id bigint, statistic text, maintained text, recomputed text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT k.pattern_id, x.statistic, x.maintained, x.recomputed
      FROM query_ml.pattern_totals k
      LEFT JOIN query_ml.recomputed_totals() t ON t.pattern_id = k.pattern_id
     CROSS JOIN LATERAL (VALUES
         ('applications', k.applications::text, coalesce(t.applications, 0)::text, k.applications = coalesce(t.applications, 0)),
         ('successes', k.successes::text, coalesce(t.successes, 0)::text, k.successes = coalesce(t.successes, 0)),
         ('regressions', k.regressions::text, coalesce(t.regressions, 0)::text, k.regressions = coalesce(t.regressions, 0)),
         ('sum_actual', k.sum_actual::text, coalesce(t.sum_actual, 0)::text, k.sum_actual = coalesce(t.sum_actual, 0)),
         ('sum_estimated', k.sum_estimated::text, coalesce(t.sum_estimated, 0)::text, k.sum_estimated = coalesce(t.sum_estimated, 0)),
         ('sum_abs_error', k.sum_abs_error::text, coalesce(t.sum_abs_error, 0)::text, k.sum_abs_error = coalesce(t.sum_abs_error, 0)),
         ('sum_accuracy', k.sum_accuracy::text, coalesce(t.sum_accuracy, 0)::text, k.sum_accuracy = coalesce(t.sum_accuracy, 0)),
         ('within_10', k.within_10::text, coalesce(t.within_10, 0)::text, k.within_10 = coalesce(t.within_10, 0)),
         ('sum_rating', k.sum_rating::text, coalesce(t.sum_rating, 0)::text, k.sum_rating = coalesce(t.sum_rating, 0)),
         ('rated', k.rated::text, coalesce(t.rated, 0)::text, k.rated = coalesce(t.rated, 0)),
         ('first_applied', k.first_applied::text, t.first_applied::text, k.first_applied IS NOT DISTINCT FROM t.first_applied),
         ('last_applied', k.last_applied::text, t.last_applied::text, k.last_applied IS NOT DISTINCT FROM t.last_applied)
     ) AS x (statistic, maintained, recomputed, same)
     WHERE NOT x.same
     ORDER BY 1, 2;
END;
COMMENT ON FUNCTION query_ml.stats_differences() IS
    'compares every maintained pattern statistic with a full recomputation from the feedback rows; no rows means they are in step';
