-- The status rule, once: keep a change only if it improved things, revert after a regression.
-- ml_refine applies it (query_ml.apply_status_rule); ml_analyze_feedback warns by it.
CREATE OR REPLACE VIEW query_ml.status_rule AS
WITH rule AS MATERIALIZED (   -- the settings, read once per use of the view
    SELECT query_ml.setting('retire_min_applications')::bigint AS min_applications,
           query_ml.setting('retire_below_improvement')::double precision AS below,
           query_ml.setting('flag_regression_share')::double precision AS share
)
SELECT t.pattern_id,
       CASE WHEN t.applications >= r.min_applications AND t.mean_improvement < r.below THEN 'retired'
            WHEN t.applications > 0 AND (t.mean_improvement < r.below OR t.regressions >= r.share * t.applications)
                 THEN 'flagged'
            ELSE 'active' END AS verdict,
       CASE WHEN t.applications >= r.min_applications AND t.mean_improvement < r.below
                 THEN format('retired below %s%% with at least %s applications', r.below, r.min_applications)
            WHEN t.applications > 0 AND (t.mean_improvement < r.below OR t.regressions >= r.share * t.applications)
                 THEN format('flagged: slower on average or regressions in %s%% of applications or more',
                             round(r.share::numeric * 100))
            ELSE 'active' END AS reason,
       format('%s applications, mean improvement %s%%, %s regressions', t.applications,
              round(t.mean_improvement::numeric, 1), t.regressions) AS figures
  FROM query_ml.pattern_totals t CROSS JOIN rule r;
COMMENT ON VIEW query_ml.status_rule IS
    'the status each pattern''s statistics call for (retired, flagged, active) by the retire_min_applications, retire_below_improvement and flag_regression_share settings, with the reason and the figures';
