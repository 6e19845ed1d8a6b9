-- Trigger: feedback that verified a change in production is the server's measurement of it; a
-- writer deleting it would erase a production regression before learning flags it.
CREATE OR REPLACE FUNCTION query_ml.check_verified_delete()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user, 'query_ml_admin', 'USAGE') THEN
        RAISE EXCEPTION 'query_ml: feedback % verified a change in production, and only a query_ml_admin may delete it', OLD.id
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'It is measured_by pg_stat_statements: the captured workload before and after the change.';
    END IF;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION query_ml.check_verified_delete() IS
    'trigger: feedback measured by pg_stat_statements (a verification in production) is deleted by a query_ml_admin only';
