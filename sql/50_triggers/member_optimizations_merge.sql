CREATE OR REPLACE TRIGGER member_optimizations_merge
    AFTER INSERT OR UPDATE OR DELETE ON query_ml.member_optimizations
    FOR EACH ROW EXECUTE FUNCTION query_ml.fleet_merge_optimization();
COMMENT ON TRIGGER member_optimizations_merge ON query_ml.member_optimizations IS
    'on a fleet''s hub: a member''s row becomes, changes or removes the hub''s row that stands for it';
