CREATE OR REPLACE TRIGGER member_feedback_truncate
    BEFORE TRUNCATE ON query_ml.member_feedback
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.refuse_fleet_truncate();
COMMENT ON TRIGGER member_feedback_truncate ON query_ml.member_feedback IS
    'a fleet''s replicated table is not truncated: on a member, the hub would keep the rows';
