-- Writers keep plain INSERT and COPY of feedback metrics; what a row claims about how it was
-- measured is the server's.  The triggers call this only for rows that claim a measurement
-- (their WHEN clause), so the bulk path pays one comparison per row.
CREATE OR REPLACE FUNCTION query_ml.check_provenance()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_catalog.pg_has_role(current_user, 'query_ml_admin', 'USAGE') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        RAISE EXCEPTION 'query_ml: only query_ml itself records feedback measured by %', NEW.measured_by
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'measured_by says how a result was obtained; ml_track sets ml_track.',
                  HINT = 'Submit your own measurements with measured_by ''manual'' or ''import'', or measure with ml_track().';
    END IF;
    RAISE EXCEPTION 'query_ml: feedback % was measured by %, and its metrics cannot be edited', OLD.id, OLD.measured_by
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Delete it and submit your own result, or ask a query_ml_admin.';
END
$$;
COMMENT ON FUNCTION query_ml.check_provenance() IS
    'trigger: only query_ml itself (or a query_ml_admin) writes feedback that claims to be measured by ml_track, or edits its metrics';
