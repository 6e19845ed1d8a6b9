CREATE OR REPLACE TRIGGER member_optimizations_inbox
    BEFORE INSERT OR UPDATE OR DELETE ON query_ml.member_optimizations
    FOR EACH ROW EXECUTE FUNCTION query_ml.fleet_inbox_check();
COMMENT ON TRIGGER member_optimizations_inbox ON query_ml.member_optimizations IS
    'on a fleet''s hub: a member''s subscription applies only that member''s rows, and a row stored already is replaced, not conflicting';
