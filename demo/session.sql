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
\echo '== 6. The workload: a shop with 300,000 orders (demo/workload.sql)'
\set ECHO none
\ir workload.sql
\set ECHO queries
SELECT relname AS table, n_live_tup AS rows FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY 2 DESC;

\echo
\echo '== 7. Sources: where queries come from; patterns can be scoped to one or shared by a dialect'
SELECT ml_register_source('shop-eu', database_name => 'shop', cluster_name => 'eu-1') AS source_id;
SELECT ml_register_source('shop-us', database_name => 'shop', cluster_name => 'us-1') AS source_id;
SELECT name, dialect, database_name, cluster_name, is_active FROM ml_sources();

\echo
\echo '== 8. Patterns: what the DBA learned, stored without a single literal'
SELECT ml_store_pattern($$SELECT * FROM orders WHERE customer_id = 4242 AND status IN ('paid', 'shipped') ORDER BY placed_at DESC LIMIT 20$$,
                        'index', 'CREATE INDEX ON orders (customer_id, placed_at)', 'index the customer''s recent orders',
                        source => 'shop-eu', shared => true);
SELECT ml_store_pattern($$SELECT count(*) FROM orders WHERE lower(status) = 'refunded' AND placed_at >= '2024-06-01'$$,
                        'rewrite', $$SELECT count(*) FROM orders WHERE status = 'refunded' AND placed_at >= '2024-06-01'$$,
                        'compare the column itself: statuses are stored in lower case', source => 'shop-eu');
SELECT ml_store_pattern($$SELECT o.id, o.total FROM orders o WHERE o.status = 'paid' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)$$,
                        'index', 'CREATE INDEX ON payments (order_id)', 'paid orders without a payment: index the lookup',
                        source => 'shop-eu');
SELECT ml_store_pattern($$SELECT c.country, count(*), sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.placed_at >= '2024-01-01' GROUP BY c.country ORDER BY 3 DESC$$,
                        'setting', $$SET work_mem = '64MB'$$, 'let the aggregate hash in memory', source => 'shop-us');
SELECT id, signature, optimization_type AS type, source, normalized_query FROM ml_patterns();
SELECT optimized_template FROM query_ml.patterns WHERE optimization_type = 'rewrite';

\echo
\echo '== 9. A new query arrives: matched by fingerprint, the rewrite made concrete with its own literals'
\echo '   (no feedback yet, so every confidence is 0: min_confidence => 0 shows them anyway)'
SELECT rank, pattern_id, match_kind, round(confidence::numeric, 2) AS confidence, suggestion, applied_sql
  FROM ml_match_and_suggest($$SELECT count(*) FROM orders WHERE lower(status) = 'refunded' AND placed_at >= '2025-01-01'$$,
                            min_confidence => 0);

\echo
\echo '== 10. A query never seen before: no exact match, so the most similar patterns'
SELECT pattern_id, match_kind, round(similarity::numeric, 2) AS similarity, suggestion
  FROM ml_match_pattern($$SELECT * FROM orders WHERE customer_id = 77 AND region = 'eu' ORDER BY placed_at DESC LIMIT 5$$,
                        min_confidence => 0);
SELECT pattern_id, round(similarity::numeric, 2) AS similarity
  FROM ml_similar_patterns($$SELECT c.country, avg(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country$$);

\echo
\echo '== 11. Settings'
SELECT name, value, is_default, description FROM ml_settings();

\echo
\echo '== 12. What the extension created: every object carries a comment'
\dt+ query_ml.*
SELECT p.oid::regprocedure AS function, obj_description(p.oid, 'pg_proc') AS comment
  FROM pg_proc p WHERE p.proname LIKE 'ml\_%' ORDER BY 1;
