-- The conninfo a fleet helper subscribes with: it must name a server (the hub's or a member's).
CREATE OR REPLACE FUNCTION query_ml.check_conninfo(conninfo text, whose text, example_host text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF conninfo IS NULL OR btrim(conninfo) = '' THEN
        RAISE EXCEPTION 'query_ml: conninfo must name the %''s server', whose
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = format('For example ''host=%s port=5432 dbname=%s user=%s''.', example_host, current_database(),
                                query_ml.fleet_name('role'));
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_conninfo(text, text, text) IS
    'errors (22023) unless a fleet helper''s conninfo names a server';
