-- Writers share the tables: each may change or delete only the rows it wrote (the column that
-- names the writer is the trigger's argument); admins may change any.  The triggers call this
-- only for another role's rows (their WHEN clause).
CREATE OR REPLACE FUNCTION query_ml.check_owner()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user, 'query_ml_admin', 'USAGE') THEN
        RAISE EXCEPTION 'query_ml: % row % was written by %, and only that role or a query_ml_admin may % it',
            TG_TABLE_NAME, OLD.id, pg_catalog.to_jsonb(OLD) ->> TG_ARGV[0], pg_catalog.lower(TG_OP)
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Change the rows you wrote yourself, or ask a query_ml_admin.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION query_ml.check_owner() IS
    'trigger: a row of sources, patterns or feedback is changed or deleted by the role that wrote it, or by a query_ml_admin';
