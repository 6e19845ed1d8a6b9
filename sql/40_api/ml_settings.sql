CREATE OR REPLACE FUNCTION @extschema@.ml_settings()
RETURNS SETOF query_ml.settings
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT s.name, s.value, s.default_value, s.is_default, s.value_type, s.min_value, s.max_value, s.description,
           query_ml.shown_time(s.changed_at), s.changed_by
      FROM query_ml.settings s
     ORDER BY s.name;
END;
COMMENT ON FUNCTION @extschema@.ml_settings() IS 'every query_ml setting with its effective value, default, range and meaning';
