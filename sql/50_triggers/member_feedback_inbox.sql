CREATE OR REPLACE TRIGGER member_feedback_inbox
    BEFORE INSERT OR UPDATE OR DELETE ON query_ml.member_feedback
    FOR EACH ROW EXECUTE FUNCTION query_ml.fleet_inbox_check();
COMMENT ON TRIGGER member_feedback_inbox ON query_ml.member_feedback IS
    'on a fleet''s hub: a member''s subscription applies only that member''s rows, and a row stored already is replaced, not conflicting';
