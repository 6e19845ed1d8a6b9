-- What a member publishes of one of its feedback rows (query_ml.member_feedback): the timings,
-- how and when they were measured, and by whom; no comment, rating or row counts.  One
-- projection for the outbox triggers and for ml_fleet_publish's first copy.
CREATE OR REPLACE FUNCTION query_ml.outbox_feedback(f query_ml.feedback)
RETURNS SETOF query_ml.member_feedback
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT i.cluster_name, f.id, f.optimization_id, f.before_execution_ms, f.after_execution_ms, f.before_planning_ms,
           f.after_planning_ms, f.measured_by, f.applied_at, f.created_at, f.submitted_by, pg_catalog.pg_current_xact_id()
      FROM query_ml.fleet_identity i
     WHERE i.kind = 'member';
END;
COMMENT ON FUNCTION query_ml.outbox_feedback(query_ml.feedback) IS
    'on a fleet member: what it publishes of a feedback row (timings, measurement, times, submitter)';
