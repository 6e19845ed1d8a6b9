-- The optimization types, once: the patterns and the type calibration refer to this table
-- instead of repeating the list in CHECK constraints, and matching words its suggestions from
-- it.  What each type's statement may be is parsing, in the Python package (patterns.py).
CREATE TABLE query_ml.optimization_types (
    name        text PRIMARY KEY,
    suggestion  text NOT NULL,
    shows_sql   boolean NOT NULL
);
COMMENT ON TABLE query_ml.optimization_types IS 'the kinds of optimization query_ml learns about, and how a match words its suggestion';
COMMENT ON COLUMN query_ml.optimization_types.suggestion IS 'what a match suggests doing; the stored SQL follows it when shows_sql';
INSERT INTO query_ml.optimization_types (name, suggestion, shows_sql) VALUES
    ('rewrite', 'rewrite the query; ml_apply_pattern gives the SQL', false),
    ('hint', 'add the planner hint; ml_apply_pattern gives the SQL', false),
    ('index', 'create the index: ', true),
    ('setting', 'change the setting: ', true),
    ('other', '', true);
ALTER TABLE query_ml.patterns DROP CONSTRAINT patterns_type_check,
    ADD CONSTRAINT patterns_type_fkey FOREIGN KEY (optimization_type) REFERENCES query_ml.optimization_types (name);
ALTER TABLE query_ml.type_calibration DROP CONSTRAINT type_calibration_type_check,
    ADD CONSTRAINT type_calibration_type_fkey FOREIGN KEY (optimization_type) REFERENCES query_ml.optimization_types (name);
