-- Trigger: the applied_at of a row written by plain INSERT, UPDATE or COPY is checked as the
-- functions check their argument (query_ml.applied_at_ok).  Its WHEN clause calls it only for
-- a row out of range, so the bulk path pays one comparison per row.
CREATE OR REPLACE FUNCTION query_ml.check_applied_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.refuse_applied_at(NEW.applied_at);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION query_ml.check_applied_at() IS 'trigger: refuses a row whose applied_at lies outside 2000-01-01 .. a day from now';
