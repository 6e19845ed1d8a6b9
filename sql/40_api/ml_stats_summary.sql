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
                      sum(within_10) AS w10, sum(sum_estimated) AS est, sum(sum_actual) AS gain,
                      count(DISTINCT pattern_id) FILTER (WHERE applications <> 0) AS applied, max(last_applied) AS last
                 FROM query_ml.pattern_stats),
         r AS (SELECT count(*) AS runs, max(finished_at) AS last,
                      (SELECT mode FROM query_ml.refinement_runs ORDER BY id DESC LIMIT 1) AS mode
                 FROM query_ml.refinement_runs)
    SELECT * FROM (VALUES
        ('sources', (SELECT format('%s active, %s retired', count(*) FILTER (WHERE is_active), count(*) FILTER (WHERE NOT is_active)) FROM query_ml.sources)),
        ('patterns', (SELECT format('%s active, %s flagged, %s retired', count(*) FILTER (WHERE status = 'active'),
                                    count(*) FILTER (WHERE status = 'flagged'), count(*) FILTER (WHERE status = 'retired')) FROM query_ml.patterns)),
        ('patterns with feedback', (SELECT t.applied::text FROM t)),
        ('optimizations', (SELECT count(*)::text FROM query_ml.optimizations)),
        ('feedback', (SELECT coalesce(t.n, 0)::text FROM t)),
        ('success rate', (SELECT query_ml.shown_percent(100 * t.ok / nullif(t.n, 0)) || '%' FROM t)),
        ('regressions', (SELECT coalesce(t.bad, 0)::text FROM t)),
        ('mean improvement', (SELECT query_ml.shown_percent(t.gain / nullif(t.n, 0)) || '%' FROM t)),
        ('estimation accuracy', (SELECT query_ml.shown_percent(100 * t.acc / nullif(t.n, 0)) || '%' FROM t)),
        ('within 10 points', (SELECT query_ml.shown_percent(100 * t.w10 / nullif(t.n, 0)) || '%' FROM t)),
        ('estimation bias', (SELECT query_ml.bias_verdict(query_ml.mean_error(t.est, t.gain, t.n)) FROM t)),
        ('last feedback', (SELECT query_ml.shown_time(t.last)::text FROM t)),
        ('refinements', (SELECT r.runs || coalesce(', last ' || r.mode || ' at ' || query_ml.shown_time(r.last), '') FROM r)),
        ('scheduled refinement', coalesce(job, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')
                                                    THEN 'none' ELSE 'none (pg_cron not installed here)' END))
    ) AS v (metric, value);
END
$$;
COMMENT ON FUNCTION @extschema@.ml_stats_summary() IS
    'query_ml at a glance: sources, patterns by status, optimizations, feedback, success rate, improvement, accuracy, bias, refinements and the schedule, rounded for reading';
