CREATE OR REPLACE TRIGGER member_feedback_merge
    AFTER UPDATE OR DELETE ON query_ml.member_feedback
    FOR EACH ROW EXECUTE FUNCTION query_ml.fleet_merge_feedback();
COMMENT ON TRIGGER member_feedback_merge ON query_ml.member_feedback IS
    'on a fleet''s hub: a member''s row becomes, changes or removes the hub''s row that stands for it';
