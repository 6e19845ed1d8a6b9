-- Keep a change only if it improved things; revert after a regression.  A status set by
-- hand (status_reason 'manual: ...') is left alone.
CREATE OR REPLACE FUNCTION query_ml.apply_status_rule(pattern_ids bigint[],
                                                     OUT flagged bigint, OUT retired bigint, OUT reinstated bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    min_applications bigint := query_ml.setting('retire_min_applications')::bigint;
    below double precision := query_ml.setting('retire_below_improvement')::double precision;
    share double precision := query_ml.setting('flag_regression_share')::double precision;
BEGIN
    WITH rule AS (
        SELECT p.id, p.status AS old,
               CASE WHEN t.applications >= min_applications AND t.mean_improvement < below THEN 'retired'
                    WHEN t.applications > 0 AND (t.mean_improvement < below OR t.regressions >= share * t.applications)
                         THEN 'flagged'
                    ELSE 'active' END AS new,
               format('%s applications, mean improvement %s%%, %s regressions', t.applications,
                      round(t.mean_improvement::numeric, 1), t.regressions) AS figures
          FROM query_ml.patterns p JOIN query_ml.pattern_totals t ON t.pattern_id = p.id
         WHERE p.id = ANY (pattern_ids)
           AND coalesce(p.status_reason, '') NOT LIKE 'manual:%'
    ), changed AS (
        UPDATE query_ml.patterns p
           SET status = r.new, status_changed_at = now(),
               status_reason = CASE r.new
                   WHEN 'retired' THEN format('ml_refine: %s; retired below %s%% with at least %s applications', r.figures, below, min_applications)
                   WHEN 'flagged' THEN format('ml_refine: %s; flagged: slower on average or regressions in %s%% of applications or more', r.figures, round(share::numeric * 100))
                   ELSE format('ml_refine: %s; active', r.figures) END
          FROM rule r
         WHERE p.id = r.id AND p.status <> r.new
        RETURNING r.old, r.new
    )
    SELECT count(*) FILTER (WHERE c.new = 'flagged'), count(*) FILTER (WHERE c.new = 'retired'),
           count(*) FILTER (WHERE c.new = 'active')
      INTO flagged, retired, reinstated
      FROM changed c;
END
$$;
COMMENT ON FUNCTION query_ml.apply_status_rule(bigint[]) IS
    'retires, flags or reinstates some patterns by the rule of the retire_min_applications, retire_below_improvement and flag_regression_share settings; returns how many changed';
