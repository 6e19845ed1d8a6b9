CREATE OR REPLACE FUNCTION @extschema@.ml_stats_summary()
RETURNS TABLE (metric text, value text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job text;
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE 'SELECT string_agg(format(''job %s at %L%s'', jobid, schedule, CASE WHEN active THEN '''' ELSE '' (inactive)'' END), '', '')
                   FROM cron.job WHERE jobname = ''query_ml_refine''' INTO job;
    END IF;
    RETURN QUERY
    WITH t AS (SELECT sum(applications) AS n, sum(successes) AS ok, sum(regressions) AS bad, sum(sum_accuracy) AS acc,
                      sum(within_10) AS w10, sum(sum_estimated) - sum(sum_actual) AS err, sum(sum_actual) AS gain,
                      max(last_applied) AS last
                 FROM query_ml.pattern_stats),
         r AS (SELECT count(*) AS runs, max(finished_at) AS last,
                      (SELECT mode FROM query_ml.refinement_runs ORDER BY id DESC LIMIT 1) AS mode
                 FROM query_ml.refinement_runs)
    SELECT * FROM (VALUES
        ('sources', (SELECT format('%s active, %s retired', count(*) FILTER (WHERE is_active), count(*) FILTER (WHERE NOT is_active)) FROM query_ml.sources)),
        ('patterns', (SELECT format('%s active, %s flagged, %s retired', count(*) FILTER (WHERE status = 'active'),
                                    count(*) FILTER (WHERE status = 'flagged'), count(*) FILTER (WHERE status = 'retired')) FROM query_ml.patterns)),
        ('patterns with feedback', (SELECT count(DISTINCT pattern_id)::text FROM query_ml.pattern_stats WHERE applications <> 0)),
        ('optimizations', (SELECT count(*)::text FROM query_ml.optimizations)),
        ('feedback', (SELECT coalesce(t.n, 0)::text FROM t)),
        ('success rate', (SELECT round(100 * t.ok::numeric / nullif(t.n, 0), 1) || '%' FROM t)),
        ('regressions', (SELECT coalesce(t.bad, 0)::text FROM t)),
        ('mean improvement', (SELECT round(t.gain / nullif(t.n, 0), 1) || '%' FROM t)),
        ('estimation accuracy', (SELECT round(100 * t.acc / nullif(t.n, 0), 1) || '%' FROM t)),
        ('within 10 points', (SELECT round(100 * t.w10::numeric / nullif(t.n, 0), 1) || '%' FROM t)),
        ('mean estimation error', (SELECT round(t.err / nullif(t.n, 0), 1) || ' points' FROM t)),
        ('last feedback', (SELECT t.last::text FROM t)),
        ('refinements', (SELECT r.runs || coalesce(', last ' || r.mode || ' at ' || r.last, '') FROM r)),
        ('scheduled refinement', coalesce(job, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')
                                                    THEN 'none' ELSE 'none (pg_cron not installed here)' END))
    ) AS v (metric, value);
END
$$;
COMMENT ON FUNCTION @extschema@.ml_stats_summary() IS
    'query_ml at a glance: sources, patterns by status, optimizations, feedback, success rate, improvement, accuracy, bias, refinements and the schedule';
