-- Each pattern's figures: the shards added up, then rates, means, and the confidence rule's
-- terms (sql/10_internal/confidence_*.sql) with the Wilson lower bound beside them.
CREATE OR REPLACE VIEW query_ml.pattern_totals AS
SELECT p.id AS pattern_id, t.applications, t.successes, t.regressions, t.sum_actual, t.sum_estimated,
       t.sum_abs_error, t.sum_accuracy, t.within_10, t.sum_rating, t.rated, t.first_applied, t.last_applied,
       t.version,
       (t.successes::numeric / nullif(t.applications, 0))::double precision AS success_rate,
       (t.sum_actual / nullif(t.applications, 0))::double precision AS mean_improvement,
       (t.sum_estimated / nullif(t.applications, 0))::double precision AS mean_estimated,
       query_ml.mean_error(t.sum_estimated, t.sum_actual, t.applications) AS mean_error,
       (t.sum_abs_error / nullif(t.applications, 0))::double precision AS mean_abs_error,
       (t.sum_accuracy / nullif(t.applications, 0))::double precision AS accuracy,
       (t.sum_rating::numeric / nullif(t.rated, 0))::double precision AS mean_rating,
       query_ml.confidence_score(t.applications, t.successes, t.sum_actual) AS confidence,
       query_ml.wilson_lower_bound(t.applications, t.successes) AS confidence_wilson,
       query_ml.confidence_bonus_successes(t.successes) AS many_successes,
       query_ml.confidence_bonus_improvement(t.applications, t.sum_actual) AS large_improvement
  FROM query_ml.patterns p
 CROSS JOIN LATERAL (
       SELECT coalesce(sum(s.applications), 0)::bigint AS applications, coalesce(sum(s.successes), 0)::bigint AS successes,
              coalesce(sum(s.regressions), 0)::bigint AS regressions, coalesce(sum(s.sum_actual), 0) AS sum_actual,
              coalesce(sum(s.sum_estimated), 0) AS sum_estimated, coalesce(sum(s.sum_abs_error), 0) AS sum_abs_error,
              coalesce(sum(s.sum_accuracy), 0) AS sum_accuracy, coalesce(sum(s.within_10), 0)::bigint AS within_10,
              coalesce(sum(s.sum_rating), 0)::bigint AS sum_rating, coalesce(sum(s.rated), 0)::bigint AS rated,
              min(s.first_applied) AS first_applied, max(s.last_applied) AS last_applied,
              coalesce(max(s.version), 0) AS version
         FROM query_ml.pattern_stats s WHERE s.pattern_id = p.id) t;
COMMENT ON VIEW query_ml.pattern_totals IS
    'each pattern''s statistics, shards added up: applications, successes, rates, means, signed error, accuracy, confidence (original rule: success rate plus its two bonuses, at most 1) and its Wilson lower bound';
