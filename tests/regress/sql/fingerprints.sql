-- Fingerprints, normalized text and signatures, as psql shows them.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS query_ml CASCADE;
RESET client_min_messages;
\set SHOW_CONTEXT never

SELECT ml_fingerprint('SELECT * FROM orders WHERE id = 1') = ml_fingerprint('select * from orders where id = 2') AS same;
SELECT ml_fingerprint('SELECT * FROM orders WHERE id = 1') = ml_fingerprint('select * from orders where sku = 2') AS same;
SELECT ml_normalize($$SELECT * FROM payments WHERE email = 'bob@example.com' AND card = 4111111111111111 -- note$$);
SELECT ml_normalize('/*+ IndexScan(o) */ SELECT * FROM orders o WHERE o.id IN (1, 2, 3)');
SELECT ml_signature('SELECT * FROM users WHERE id = 123');
SELECT ml_signature('SELECT u.*, o.* FROM users u INNER JOIN orders o ON u.id = o.user_id');
SELECT ml_fingerprint(NULL) IS NULL AS null_in_null_out;

-- Errors: the parser's message and position, never a literal, always an SQLSTATE.
SELECT ml_fingerprint('SELECT * FORM orders');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_normalize($$SELECT * FROM payments WHERE card = '4111 1111$$);
\echo :LAST_ERROR_SQLSTATE
SELECT ml_signature('SELECT 1; SELECT 2');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_fingerprint('');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_features('SELECT ' || repeat('(SELECT ', 3000) || '1' || repeat(')', 3000));
\echo :LAST_ERROR_SQLSTATE
