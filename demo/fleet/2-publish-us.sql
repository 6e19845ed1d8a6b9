\i :header
\echo '== 2. Member "us": the same, under its own name; it has recorded the same query shapes, but measured nothing yet'
SET client_min_messages = warning;
CREATE EXTENSION query_ml CASCADE;
SET client_min_messages = notice;
CALL ml_fleet_publish('us');
SELECT ml_record_optimization('SELECT * FROM orders WHERE customer_id = 17', 'CREATE INDEX ON orders (customer_id)', 'index', 40);
\echo 'What "us" suggests for its own query, alone: nothing, since it has no evidence'
SELECT pattern_id, match_kind, score, evidence FROM ml_match_pattern('SELECT * FROM orders WHERE customer_id = 99');
