-- Applies the status rule (query_ml.status_rule) to some patterns.  A status set by hand
-- (status_reason 'manual: ...') is left alone.
CREATE OR REPLACE FUNCTION query_ml.apply_status_rule(pattern_ids bigint[],
                                                     OUT flagged bigint, OUT retired bigint, OUT reinstated bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH rule AS (
        SELECT p.id, p.status AS old, r.verdict AS new, r.reason, r.figures
          FROM query_ml.patterns p JOIN query_ml.status_rule r ON r.pattern_id = p.id
         WHERE p.id = ANY (pattern_ids)
           AND coalesce(p.status_reason, '') NOT LIKE 'manual:%'
           AND p.status <> r.verdict     -- here, so that only the changes have their reasons written
    ), changed AS (
        UPDATE query_ml.patterns p
           SET status = r.new, status_changed_at = now(), status_reason = format('ml_refine: %s; %s', r.figures, r.reason)
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
