CREATE OR REPLACE FUNCTION @extschema@.ml_retire_source(source_name text)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    retired integer;
BEGIN
    UPDATE query_ml.sources s SET is_active = false, retired_at = coalesce(s.retired_at, now())
     WHERE s.name = source_name
    RETURNING s.id INTO retired;
    IF retired IS NULL THEN
        RAISE EXCEPTION 'query_ml: unknown source "%"', source_name
            USING ERRCODE = 'undefined_object', HINT = 'ml_sources() lists the sources.';
    END IF;
    RETURN retired;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_retire_source(text) IS
    'retires a source: it keeps its patterns and history but takes no new optimizations; returns its id';
