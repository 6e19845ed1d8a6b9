CREATE OR REPLACE TRIGGER feedback_fleet_delete
    AFTER DELETE ON query_ml.feedback REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.fleet_outbox_feedback();
COMMENT ON TRIGGER feedback_fleet_delete ON query_ml.feedback IS
    'on a fleet member: what it publishes of its feedback follows this delete (query_ml.member_feedback)';
