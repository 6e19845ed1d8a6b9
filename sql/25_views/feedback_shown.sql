-- Feedback as the human-facing functions show it (README, "Reading the output"): the columns of
-- query_ml.feedback_details, rounded.  ml_feedback, ml_list_feedback, ml_submit_feedback,
-- ml_update_feedback and ml_track return its rows.
CREATE OR REPLACE VIEW query_ml.feedback_shown AS
SELECT d.feedback_id, d.optimization_id, d.pattern_id, d.source, d.optimization_type, query_ml.shown_time(d.applied_at) AS applied_at,
       query_ml.shown_ms(d.before_execution_ms) AS before_execution_ms,
       query_ml.shown_ms(d.after_execution_ms) AS after_execution_ms,
       query_ml.shown_ms(d.before_planning_ms) AS before_planning_ms,
       query_ml.shown_ms(d.after_planning_ms) AS after_planning_ms, d.before_rows, d.after_rows,
       d.before_shared_hit, d.before_shared_read, d.after_shared_hit, d.after_shared_read, d.runs,
       query_ml.shown_percent(d.actual_improvement)::numeric AS actual_improvement, d.estimated_improvement,
       query_ml.shown_percent(d.estimation_error)::numeric AS estimation_error, d.succeeded, d.regressed, d.rating,
       d.comment, d.measured_by, d.submitted_by, query_ml.shown_time(d.created_at) AS created_at
  FROM query_ml.feedback_details d;
COMMENT ON VIEW query_ml.feedback_shown IS 'query_ml.feedback_details rounded as psql output shows it: times to the second, milliseconds and percentages as the README states';
