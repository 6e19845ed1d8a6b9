-- The one place the per-pattern figures are derived: the shards added up, then rates,
-- means, the original product's confidence and the Wilson lower bound beside it.
CREATE OR REPLACE VIEW query_ml.pattern_totals AS
SELECT p.id AS pattern_id, t.applications, t.successes, t.regressions, t.sum_actual, t.sum_estimated,
       t.sum_abs_error, t.sum_accuracy, t.within_10, t.sum_rating, t.rated, t.first_applied, t.last_applied,
       t.version,
       (t.successes::numeric / nullif(t.applications, 0))::double precision AS success_rate,
       (t.sum_actual / nullif(t.applications, 0))::double precision AS mean_improvement,
       (t.sum_estimated / nullif(t.applications, 0))::double precision AS mean_estimated,
       ((t.sum_estimated - t.sum_actual) / nullif(t.applications, 0))::double precision AS mean_error,
       (t.sum_abs_error / nullif(t.applications, 0))::double precision AS mean_abs_error,
       (t.sum_accuracy / nullif(t.applications, 0))::double precision AS accuracy,
       (t.sum_rating::numeric / nullif(t.rated, 0))::double precision AS mean_rating,
       CASE WHEN t.applications = 0 THEN 0 ELSE least(1.0,
            t.successes::double precision / t.applications + b.many_successes + b.large_improvement) END AS confidence,
       CASE WHEN t.applications = 0 THEN 0 ELSE
            (t.successes::double precision / t.applications + 1.9208 / t.applications
             - 1.96 * sqrt((t.successes::double precision / t.applications)
                           * (1 - t.successes::double precision / t.applications) / t.applications
                           + 0.9604 / t.applications ^ 2))
            / (1 + 3.8416 / t.applications) END AS confidence_wilson,
       b.many_successes, b.large_improvement
  FROM query_ml.patterns p
 CROSS JOIN LATERAL (
       SELECT coalesce(sum(s.applications), 0)::bigint AS applications, coalesce(sum(s.successes), 0)::bigint AS successes,
              coalesce(sum(s.regressions), 0)::bigint AS regressions, coalesce(sum(s.sum_actual), 0) AS sum_actual,
              coalesce(sum(s.sum_estimated), 0) AS sum_estimated, coalesce(sum(s.sum_abs_error), 0) AS sum_abs_error,
              coalesce(sum(s.sum_accuracy), 0) AS sum_accuracy, coalesce(sum(s.within_10), 0)::bigint AS within_10,
              coalesce(sum(s.sum_rating), 0)::bigint AS sum_rating, coalesce(sum(s.rated), 0)::bigint AS rated,
              min(s.first_applied) AS first_applied, max(s.last_applied) AS last_applied,
              coalesce(max(s.version), 0) AS version
         FROM query_ml.pattern_stats s WHERE s.pattern_id = p.id) t
 CROSS JOIN LATERAL (
       SELECT CASE WHEN t.successes >= 10 THEN 0.10 ELSE 0 END::double precision AS many_successes,
              CASE WHEN t.sum_actual / nullif(t.applications, 0) >= 50 THEN 0.10 ELSE 0 END::double precision
                  AS large_improvement) b;
COMMENT ON VIEW query_ml.pattern_totals IS
    'each pattern''s statistics, shards added up: applications, successes, rates, means, signed error, accuracy, confidence (original rule: success rate plus its two bonuses, at most 1) and its Wilson lower bound';
