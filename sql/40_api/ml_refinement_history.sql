CREATE OR REPLACE FUNCTION @extschema@.ml_refinement_history(row_limit bigint DEFAULT 10)
RETURNS SETOF query_ml.refinement_runs
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.check_listing(row_limit, 0);
    RETURN QUERY
        SELECT r.id, query_ml.shown_time(r.started_at), query_ml.shown_time(r.finished_at), r.mode, r.status,
               r.triggered_by, r.run_by, r.feedback_considered, r.patterns_considered, r.patterns_calibrated,
               r.patterns_flagged, r.patterns_retired, r.patterns_reinstated, query_ml.shown_fraction(r.accuracy_before),
               query_ml.shown_fraction(r.accuracy_after), r.feedback_watermark, r.version_watermark, r.details,
               query_ml.shown_percent(r.estimate_error), query_ml.shown_percent(r.prediction_error)
          FROM query_ml.refinement_runs r
         ORDER BY r.id DESC
         LIMIT row_limit;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_refinement_history(bigint) IS 'the latest ml_refine() runs, newest first; times and accuracies rounded for reading';
