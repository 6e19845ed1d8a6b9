CREATE CONSTRAINT TRIGGER member_feedback_arrivals
    AFTER INSERT ON query_ml.member_feedback
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION query_ml.fleet_merge_arrivals();
COMMENT ON TRIGGER member_feedback_arrivals ON query_ml.member_feedback IS
    'on a fleet''s hub: the members'' feedback rows a transaction brought are merged together when it commits';
