CREATE OR REPLACE FUNCTION query_ml.find_source(source_name text, OUT id integer, OUT dialect text, OUT is_active boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    SELECT s.id, s.dialect, s.is_active INTO id, dialect, is_active FROM query_ml.sources s WHERE s.name = source_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: unknown source "%"', left(source_name, 63)
            USING ERRCODE = 'undefined_object',
                  HINT = format('ml_register_source(%L) registers it; ml_sources() lists the sources.', left(source_name, 63));
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.find_source(text) IS 'id, dialect and state of a registered source; an error names an unknown one';
