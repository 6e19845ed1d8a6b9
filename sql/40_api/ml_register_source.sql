CREATE OR REPLACE FUNCTION @extschema@.ml_register_source(
    source_name text, dialect text DEFAULT 'postgresql', database_name text DEFAULT NULL,
    cluster_name text DEFAULT NULL, description text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    existing query_ml.sources;
BEGIN
    IF source_name IS NULL OR dialect IS NULL THEN
        RAISE EXCEPTION 'query_ml: source name and dialect must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF source_name !~ '^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,62}$' THEN
        RAISE EXCEPTION 'query_ml: invalid source name "%"', source_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use up to 63 letters, digits and . _ : @ / -, starting with a letter or digit.';
    END IF;
    IF dialect !~ '^[a-z][a-z0-9_]{0,31}$' THEN
        RAISE EXCEPTION 'query_ml: invalid dialect "%"', dialect
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use a lowercase name such as postgresql.';
    END IF;
    IF length(description) > 1000 OR length(database_name) > 255 OR length(cluster_name) > 255 THEN
        RAISE EXCEPTION 'query_ml: a source''s description holds 1000 characters, its database and cluster names 255 each'
            USING ERRCODE = 'string_data_right_truncation',
                  DETAIL = format('Given: description %s, database_name %s, cluster_name %s characters.',
                                  coalesce(length(description), 0), coalesce(length(database_name), 0),
                                  coalesce(length(cluster_name), 0));
    END IF;
    SELECT * INTO existing FROM query_ml.sources s WHERE s.name = source_name FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO query_ml.sources (name, dialect, database_name, cluster_name, description)
        VALUES (source_name, dialect, database_name, cluster_name, description)
        RETURNING * INTO existing;
        RETURN existing.id;
    END IF;
    IF existing.dialect <> dialect THEN
        RAISE EXCEPTION 'query_ml: source "%" is already registered with dialect %', source_name, existing.dialect
            USING ERRCODE = 'duplicate_object',
                  HINT = 'Patterns are scoped by dialect; register the other dialect under another name.';
    END IF;
    IF NOT existing.is_active THEN
        -- A source's state is an admin's: writers may not UPDATE is_active.
        IF NOT pg_catalog.pg_has_role(current_user, 'query_ml_admin', 'USAGE') THEN
            RAISE EXCEPTION 'query_ml: source "%" is retired, and only a query_ml_admin may make it active again',
                source_name USING ERRCODE = 'insufficient_privilege',
                HINT = 'Ask a query_ml_admin to run ml_register_source() for it, or register a new source.';
        END IF;
        UPDATE query_ml.sources s SET is_active = true, retired_at = NULL WHERE s.id = existing.id;
        RAISE NOTICE 'query_ml: source "%" is active again', source_name;
    END IF;
    UPDATE query_ml.sources s
       SET database_name = coalesce(ml_register_source.database_name, s.database_name),
           cluster_name = coalesce(ml_register_source.cluster_name, s.cluster_name),
           description = coalesce(ml_register_source.description, s.description)
     WHERE s.id = existing.id;
    RETURN existing.id;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_register_source(text, text, text, text, text) IS
    'registers a source (database, cluster, SQL dialect) and returns its id; registering it again updates it, and reactivates a retired one';
