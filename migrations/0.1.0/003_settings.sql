-- Definitions ship with the extension; only the values a DBA set are user data.
CREATE TABLE query_ml.setting_definitions (
    name            text PRIMARY KEY,
    value_type      text NOT NULL,
    default_value   text NOT NULL,
    min_value       numeric,
    max_value       numeric,
    description     text NOT NULL,
    CONSTRAINT setting_definitions_name_check CHECK (name ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT setting_definitions_type_check CHECK (value_type IN ('number', 'integer', 'boolean'))
);
COMMENT ON TABLE query_ml.setting_definitions IS 'every setting query_ml knows, with its type, range and default';

CREATE TABLE query_ml.setting_values (
    name            text PRIMARY KEY REFERENCES query_ml.setting_definitions (name) ON DELETE CASCADE,
    value           text NOT NULL,
    changed_at      timestamptz NOT NULL DEFAULT now(),
    changed_by      name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE query_ml.setting_values IS 'settings a DBA changed from their defaults; see ml_settings()';
SELECT pg_catalog.pg_extension_config_dump('query_ml.setting_values', '');

INSERT INTO query_ml.setting_definitions (name, value_type, default_value, min_value, max_value, description) VALUES
    ('confidence_threshold', 'number', '0.5', 0, 1,
     'matches whose confidence is below this are not suggested'),
    ('success_min_improvement', 'number', '5', -100, 100,
     'feedback counts as a success when the measured improvement, in percent, is at least this'),
    ('regression_threshold', 'number', '-5', -1000, 0,
     'feedback counts as a regression when the measured improvement, in percent, is below this'),
    ('similarity_min', 'number', '0.3', 0, 1,
     'patterns less similar than this (weighted Jaccard of structural features) are not matched'),
    ('track_runs', 'integer', '5', 1, 100,
     'how many times ml_track() runs each query, after one warm-up; it stores the medians'),
    ('track_timeout_ms', 'integer', '10000', 1, 3600000,
     'the longest ml_track() lets one run of a query take, in milliseconds'),
    ('retire_min_applications', 'integer', '10', 1, 1000000,
     'ml_refine() retires a pattern only with at least this many applications'),
    ('retire_below_improvement', 'number', '0', -1000, 100,
     'ml_refine() retires a pattern whose mean measured improvement, in percent, is below this'),
    ('flag_regression_share', 'number', '0.3', 0, 1,
     'ml_refine() flags a pattern when at least this share of its applications were regressions'),
    ('calibration_strength', 'number', '5', 0, 1000,
     'how many applications a pattern''s own results need to outweigh its bias-corrected estimate in calibration'),
    ('min_feedback', 'integer', '30', 1, 1000000,
     'below this many feedback rows, the analysis recommends collecting more before trusting it'),
    ('bias_min_points', 'number', '10', 0, 1000,
     'a mean estimation error of at least this many points is a bias worth correcting'),
    ('stale_after_days', 'integer', '90', 1, 36500,
     'a pattern with no feedback for this many days counts as stale');
