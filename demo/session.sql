-- The query_ml demo: what a DBA sees, from installing the extension onwards.
\pset footer off
\echo
\echo '== 1. Install: CREATE EXTENSION pulls in plpython3u; the ml_* functions need no schema prefix'
CREATE EXTENSION query_ml CASCADE;
\dx query_ml
SELECT ml_parser_version();

\echo
\echo '== 2. Fingerprints: queries that differ only in their literals share one fingerprint'
SELECT ml_fingerprint(q) AS fingerprint, ml_signature(q) AS signature, left(q, 70) AS query
  FROM (VALUES
    ('SELECT * FROM orders WHERE customer_id = 42'),
    ('select * from orders where customer_id = 7'),
    ($$SELECT c.name, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.placed_at > '2024-01-01' GROUP BY c.name ORDER BY 2 DESC LIMIT 10$$),
    ($$SELECT c.name, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.placed_at > '2025-06-30' GROUP BY c.name ORDER BY 2 DESC LIMIT 5$$)
  ) AS workload(q)
 ORDER BY 1;

\echo
\echo '== 3. Normalized text is the only form query_ml stores: no literal survives'
SELECT ml_normalize($$/* ticket for bob@example.com */
  SELECT * FROM payments WHERE email = 'bob@example.com' AND card = '4111-1111-1111-1111' AND paid_on = DATE '2024-02-29'$$);

\echo
\echo '== 4. Structural features, used to find similar patterns'
SELECT jsonb_pretty(ml_features($$SELECT c.name, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id
  WHERE o.status IN ('paid', 'shipped') AND c.email LIKE '%@example.com' GROUP BY c.name$$));

\echo
\echo '== 5. Bad input gets a clear error with an SQLSTATE, and no literal in the message'
\set ON_ERROR_STOP 0
\set SHOW_CONTEXT never
SELECT ml_fingerprint($$SELECT * FORM orders WHERE card = '4111-1111-1111-1111'$$);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ml_fingerprint('SELECT 1; SELECT 2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ml_fingerprint('');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set ON_ERROR_STOP 1

\echo
\echo '== 6. Settings'
SELECT name, value, is_default, description FROM ml_settings();

\echo
\echo '== 7. What the extension created: every object carries a comment'
\dt+ query_ml.*
SELECT p.oid::regprocedure AS function, obj_description(p.oid, 'pg_proc') AS comment
  FROM pg_proc p WHERE p.proname LIKE 'ml\_%' ORDER BY 1;
