CREATE OR REPLACE VIEW query_ml.settings AS
SELECT d.name,
       coalesce(v.value, d.default_value) AS value,
       d.default_value,
       v.value IS NULL AS is_default,
       d.value_type,
       d.min_value,
       d.max_value,
       d.description,
       v.changed_at,
       v.changed_by
  FROM query_ml.setting_definitions d
  LEFT JOIN query_ml.setting_values v ON v.name = d.name;
COMMENT ON VIEW query_ml.settings IS 'every query_ml setting with its effective value, default, range and meaning';
