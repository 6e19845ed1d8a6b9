-- Trigger: a fleet's replicated tables are not truncated.  A TRUNCATE is not published (on the
-- hub it would empty every member's rows), so on a member it would leave the hub holding rows
-- the member no longer has.
CREATE OR REPLACE FUNCTION query_ml.refuse_fleet_truncate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'query_ml: % is a fleet''s replicated table, and is not truncated', TG_TABLE_NAME
        USING ERRCODE = 'feature_not_supported',
              HINT = 'ml_fleet_leave() takes this cluster out of its fleet, and ml_fleet_remove_member() a member out of the hub''s.';
END
$$;
COMMENT ON FUNCTION query_ml.refuse_fleet_truncate() IS
    'trigger: refuses a TRUNCATE of a fleet''s replicated table (member_optimizations, member_feedback)';
