CREATE OR REPLACE FUNCTION query_ml.source_for(source_name text, for_writing boolean,
                                               OUT id integer, OUT dialect text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    active boolean;
BEGIN
    IF source_name IS NULL AND NOT EXISTS (SELECT FROM query_ml.sources s WHERE s.name = 'local') THEN
        -- The default source, this database, is registered on first use.
        INSERT INTO query_ml.sources (name, database_name, cluster_name, description)
        VALUES ('local', current_database(), nullif(current_setting('cluster_name'), ''),
                'this database: the source used when none is named')
        ON CONFLICT (name) DO NOTHING;
    END IF;
    SELECT f.id, f.dialect, f.is_active INTO id, dialect, active FROM query_ml.find_source(coalesce(source_name, 'local')) f;
    IF for_writing AND NOT active THEN
        RAISE EXCEPTION 'query_ml: source "%" is retired', coalesce(source_name, 'local')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = format('ml_register_source(%L) makes it active again.', coalesce(source_name, 'local'));
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.source_for(text, boolean) IS
    'id and dialect of a source by name (NULL: this database, registered as "local" on first use); errors for an unknown or, when writing, a retired source';
