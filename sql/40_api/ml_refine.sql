-- A run
--   1. takes a transaction-level advisory lock; a second caller returns at once with a notice;
--      then verifies the production changes the captured workload allows
--      (query_ml.verify_production_changes), so that their feedback is learned in this run;
--   2. considers the patterns whose statistics changed since they were last refined (every
--      pattern in a full run, which first recomputes all statistics from the feedback rows),
--      waits for their writers in flight, and folds their counter shards together;
--   3. weighs each considered pattern's recent results (query_ml.weigh_recent), then fits each
--      optimization type's calibration with them (query_ml.calibrate_types);
--   4. calibrates each considered pattern and writes it with its evidence, once
--      (query_ml.calibrate_patterns; a row another session holds is left for the next run);
--   5. applies the status rule to the patterns it wrote (query_ml.apply_status_rule), and on a fleet's hub writes the
--      fleet's results for members (query_ml.fleet_share_results);
--   6. records itself, with figures on the feedback new since the last run (every row in a full
--      run): the accuracy and mean absolute error of what matching expected before this run (out
--      of sample), of the raw estimates, and the accuracy after it (in sample).
-- PL/pgSQL: every step is a set operation.
CREATE OR REPLACE FUNCTION @extschema@.ml_refine(full boolean DEFAULT false)
RETURNS TABLE (run_id bigint, status text, mode text, feedback_considered bigint, patterns_considered bigint,
               patterns_calibrated bigint, patterns_flagged bigint, patterns_retired bigint,
               patterns_reinstated bigint, accuracy_before double precision, accuracy_after double precision,
               seconds double precision)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- Its statements' estimated costs pass jit_above_cost while they run in milliseconds: JIT
-- compilation would cost more than it saves (300 ms of a 0.5 s refinement, DEVELOPERS.md).
SET jit = off
AS $$
DECLARE
    everything CONSTANT boolean := $1;     -- "full" is a keyword in expressions
    started CONSTANT timestamptz := clock_timestamp();
    run_mode CONSTANT text := CASE WHEN everything THEN 'full' ELSE 'incremental' END;
    watermark bigint;
    high bigint;
    version bigint;
    considered bigint[];
    weighed query_ml.pattern_evidence[];
    previous_ids bigint[];
    previous_values double precision[];
    changes record;
    accuracy record;
    calibrated bigint[];
    marks bigint[];
    marked bigint[];
BEGIN
    IF everything IS NULL THEN
        RAISE EXCEPTION 'query_ml: full must not be NULL' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'ml_refine() refines what changed; ml_refine(full => true) everything.';
    END IF;
    IF NOT pg_try_advisory_xact_lock(7149027411) THEN
        RAISE NOTICE 'query_ml: another ml_refine() is running; this call changed nothing'
            USING HINT = 'It runs again at its next call or scheduled time.';
        RETURN QUERY SELECT NULL::bigint, 'skipped'::text, run_mode, NULL::bigint, NULL::bigint, NULL::bigint,
                            NULL::bigint, NULL::bigint, NULL::bigint, NULL::double precision, NULL::double precision,
                            NULL::double precision;
        RETURN;
    END IF;
    -- Production changes the captured workload now verifies are learned in this run.
    PERFORM query_ml.verify_production_changes();
    SELECT CASE WHEN everything THEN 0 ELSE coalesce(
               (SELECT r.feedback_watermark FROM query_ml.refinement_runs r ORDER BY r.id DESC LIMIT 1), 0) END,
           -- 0 until the sequence has given a value: its last_value is then 1, the first one it will give.
           (SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END FROM query_ml.stats_version s),
           coalesce((SELECT max(f.id) FROM query_ml.feedback f), 0)
      INTO watermark, version, high;
    IF everything THEN
        -- On a fleet's hub, members' rows that no commit merged (README, "Fleet") are merged first.
        IF query_ml.fleet_kind() = 'hub' THEN
            PERFORM query_ml.fleet_merge_pending(NULL);
        END IF;
        PERFORM query_ml.recompute_pattern_stats(NULL);
        -- Every bucket is held exclusive to the end of this run, so no writer stamps a version
        -- meanwhile: the run is as of the recount, and the next incremental run starts after it
        -- (it redid every pattern with results when this was read before the recount).
        SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END INTO version FROM query_ml.stats_version s;
    END IF;
    -- Marks of changes without counts (query_ml.mark_changed), read once: those read are deleted
    -- at the end, and a mark made meanwhile is there for the next run.
    SELECT array_agg(c.id), array_agg(DISTINCT c.pattern_id) INTO marks, marked FROM query_ml.pattern_changes c;
    considered := ARRAY(
        SELECT p.id FROM query_ml.patterns p
         WHERE everything
            -- Never refined, or handed back to it (a status set to auto, a new type or template).
            OR p.refined_version IS NULL
            -- Results never weighed: a pattern refined before 0.3.0.
            OR (p.typical_count IS NULL AND EXISTS (SELECT FROM query_ml.pattern_stats s
                                                     WHERE s.pattern_id = p.id AND s.applications > 0))
            OR EXISTS (SELECT FROM query_ml.pattern_stats s
                        WHERE s.pattern_id = p.id AND s.version > coalesce(p.refined_version, 0))
            -- Changed without a change of counts: a new optimization, results that all went.
            OR p.id = ANY (marked)
         ORDER BY p.id);
    -- Waits for their writers in flight first: see query_ml.compact_stats.
    PERFORM query_ml.compact_stats(considered);
    SELECT array_agg(p.id), array_agg(p.calibrated_improvement) INTO previous_ids, previous_values
      FROM query_ml.patterns p WHERE p.id = ANY (considered);
    weighed := ARRAY(SELECT w FROM query_ml.weigh_recent(considered) w);
    PERFORM query_ml.calibrate_types(weighed);
    calibrated := query_ml.calibrate_patterns(weighed, version);
    -- The marks read, of the patterns written (one changed meanwhile is left for the next run) or gone.
    DELETE FROM query_ml.pattern_changes c
     WHERE c.id = ANY (marks)
       AND (c.pattern_id = ANY (calibrated) OR NOT EXISTS (SELECT FROM query_ml.patterns p WHERE p.id = c.pattern_id));
    -- The rows just written, which this run holds: the rule waits for no other session.
    SELECT * INTO changes FROM query_ml.apply_status_rule(calibrated);
    -- On a fleet's hub: what members read of the fleet.
    PERFORM query_ml.fleet_share_results(considered);
    -- One pass over the new rows for both: what matching expected before this run, and after it.
    SELECT count(*) AS n,
           avg(query_ml.estimate_accuracy(f.actual_improvement, x.before::numeric))::double precision AS before,
           avg(query_ml.estimate_accuracy(f.actual_improvement, x.after::numeric))::double precision AS after,
           avg(abs(f.actual_improvement - o.estimated_improvement))::double precision AS estimate_error,
           avg(abs(f.actual_improvement::double precision - x.before)) AS prediction_error
      INTO accuracy
      FROM query_ml.feedback f
      JOIN query_ml.optimizations o ON o.id = f.optimization_id
      JOIN query_ml.patterns p ON p.id = o.pattern_id
      LEFT JOIN unnest(previous_ids, previous_values) AS b (id, calibrated) ON b.id = p.id
     CROSS JOIN LATERAL (SELECT coalesce(CASE WHEN b.id IS NULL THEN p.calibrated_improvement ELSE b.calibrated END,
                                         o.estimated_improvement::double precision) AS before,
                                coalesce(p.calibrated_improvement, o.estimated_improvement::double precision) AS after) x
     WHERE f.id > watermark AND f.id <= high;
    RETURN QUERY
        INSERT INTO query_ml.refinement_runs AS r (started_at, finished_at, mode, triggered_by, feedback_considered,
               patterns_considered, patterns_calibrated, patterns_flagged, patterns_retired, patterns_reinstated,
               accuracy_before, accuracy_after, estimate_error, prediction_error, feedback_watermark,
               version_watermark, details)
        SELECT started, clock_timestamp(), run_mode,
               CASE WHEN current_setting('application_name') = 'pg_cron' THEN 'pg_cron' ELSE 'manual' END,
               accuracy.n, cardinality(considered), cardinality(calibrated), changes.flagged, changes.retired, changes.reinstated,
               accuracy.before, accuracy.after, accuracy.estimate_error, accuracy.prediction_error, high, version,
               jsonb_build_object('type_bias', (
                   SELECT coalesce(jsonb_object_agg(t.optimization_type, jsonb_build_object(
                              'applications', t.applications, 'mean_error', round(t.mean_error::numeric, 2))), '{}')
                     FROM query_ml.type_calibration t))
        RETURNING r.id, 'succeeded'::text, r.mode, r.feedback_considered, r.patterns_considered::bigint,
                  r.patterns_calibrated::bigint, r.patterns_flagged::bigint, r.patterns_retired::bigint,
                  r.patterns_reinstated::bigint, query_ml.shown_fraction(r.accuracy_before),
                  query_ml.shown_fraction(r.accuracy_after),
                  query_ml.shown_fraction(extract(epoch FROM r.finished_at - r.started_at)::double precision);
END
$$;
COMMENT ON FUNCTION @extschema@.ml_refine(boolean) IS
    'learns from the feedback: calibrates the expected improvement of the patterns changed since the last run (all with full => true, which also recomputes every statistic), corrects each type''s estimation bias, retires or flags patterns that made queries slower, and records the run; a concurrent call returns at once with a notice';
