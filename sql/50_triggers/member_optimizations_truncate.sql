CREATE OR REPLACE TRIGGER member_optimizations_truncate
    BEFORE TRUNCATE ON query_ml.member_optimizations
    FOR EACH STATEMENT EXECUTE FUNCTION query_ml.refuse_fleet_truncate();
COMMENT ON TRIGGER member_optimizations_truncate ON query_ml.member_optimizations IS
    'a fleet''s replicated table is not truncated: on a member, the hub would keep the rows';
