-- The status rule, once: keep a change only if it improved things, revert after a regression,
-- judged on the recent evidence so that a change of behaviour shows within a few applications.
-- ml_refine applies it (query_ml.apply_status_rule); ml_analyze_feedback warns by it.
CREATE OR REPLACE VIEW query_ml.status_rule AS
WITH rule AS MATERIALIZED (   -- the settings, read once per use of the view
    SELECT query_ml.setting('retire_min_applications')::bigint AS min_applications,
           query_ml.setting('retire_below_improvement')::double precision AS below,
           query_ml.setting('flag_regression_share')::double precision AS share
)
SELECT t.pattern_id,
       CASE WHEN t.applications >= r.min_applications AND e.mean < r.below THEN 'retired'
            WHEN t.applications > 0 AND (e.mean < r.below OR e.regression_share >= r.share) THEN 'flagged'
            ELSE 'active' END AS verdict,
       CASE WHEN t.applications >= r.min_applications AND e.mean < r.below
                 THEN format('retired below %s%% with at least %s applications', r.below, r.min_applications)
            WHEN t.applications > 0 AND (e.mean < r.below OR e.regression_share >= r.share)
                 THEN format('flagged: slower on average or regressions in %s%% of applications or more',
                             round(r.share::numeric * 100))
            ELSE 'active' END AS reason,
       format('%s applications, recent mean improvement %s%%, recent regressions %s%%', t.applications,
              round(e.mean::numeric, 1), round(e.regression_share::numeric * 100)) AS figures
  FROM query_ml.pattern_totals t
  JOIN query_ml.patterns p ON p.id = t.pattern_id
 CROSS JOIN rule r
 -- Recent evidence (recency_half_life) once ml_refine() has weighed it, else all of it.
 CROSS JOIN LATERAL (SELECT coalesce(p.recent_mean, t.mean_improvement) AS mean,
                            coalesce(p.recent_regression_share, t.regressions::double precision / nullif(t.applications, 0))
                                AS regression_share) e;
COMMENT ON VIEW query_ml.status_rule IS
    'the status each pattern''s statistics call for (retired, flagged, active) by the retire_min_applications, retire_below_improvement and flag_regression_share settings, with the reason and the figures';
