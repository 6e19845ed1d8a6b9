CREATE OR REPLACE TRIGGER feedback_fleet_truncate
    AFTER TRUNCATE ON query_ml.feedback
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.fleet_outbox_feedback();
COMMENT ON TRIGGER feedback_fleet_truncate ON query_ml.feedback IS
    'on a fleet member: a TRUNCATE of its feedback is published as the deletion of every row';
