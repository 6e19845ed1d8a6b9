-- Settings and their guard rails.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS query_ml CASCADE;
RESET client_min_messages;
\set SHOW_CONTEXT never

SELECT name, value, is_default FROM ml_settings();
SELECT ml_set_setting('confidence_threshold', '0.7');
SELECT ml_set_setting('confidence_threshold', '7');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_set_setting('confidence', '0.7');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_reset_setting('confidence_threshold');
