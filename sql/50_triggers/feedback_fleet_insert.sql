CREATE OR REPLACE TRIGGER feedback_fleet_insert
    AFTER INSERT ON query_ml.feedback REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.fleet_outbox_feedback();
COMMENT ON TRIGGER feedback_fleet_insert ON query_ml.feedback IS
    'on a fleet member: what it publishes of its feedback follows this insert (query_ml.member_feedback)';
