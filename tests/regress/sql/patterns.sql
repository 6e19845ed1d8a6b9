-- Patterns, matching and applying a rewrite, as psql shows them.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS query_ml CASCADE;
RESET client_min_messages;
\set SHOW_CONTEXT never

SELECT ml_register_source('shop', database_name => 'shop') AS shop_id \gset
SELECT ml_store_pattern($$SELECT * FROM orders o WHERE o.customer_id = 42 AND o.status IN ('paid', 'shipped')$$,
                        'rewrite',
                        $$SELECT * FROM orders o WHERE o.customer_id = 42 AND o.status IN ('paid', 'shipped') ORDER BY o.id LIMIT 100$$,
                        'page the orders', source => 'shop') AS rewrite_id \gset
SELECT normalized_query, optimized_template FROM query_ml.patterns WHERE id = :rewrite_id;
-- Storing it again does not make a second pattern.
SELECT ml_store_pattern($$SELECT * FROM orders o WHERE o.customer_id = 7 AND o.status IN ('new')$$, 'rewrite',
                        $$SELECT * FROM orders o WHERE o.customer_id = 7 AND o.status IN ('new') ORDER BY o.id LIMIT 100$$,
                        source => 'shop') = :rewrite_id AS same_pattern;

-- No feedback yet: confidence 0, below the default threshold of 0.5.
SELECT count(*) FROM ml_match_pattern($$SELECT * FROM orders o WHERE o.customer_id = 1 AND o.status IN ('x')$$);
SELECT pattern_id = :rewrite_id AS found, match_kind, similarity, confidence, suggestion
  FROM ml_match_pattern($$SELECT * FROM orders o WHERE o.customer_id = 1 AND o.status IN ('x')$$, min_confidence => 0);
SELECT ml_apply_pattern(:rewrite_id, $$select * from orders o where o.customer_id = 5 and o.status in ('a', 'b', 'c')$$);

-- Errors.
SELECT ml_apply_pattern(:rewrite_id, 'SELECT * FROM orders WHERE id = 1');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_apply_pattern(0, 'SELECT 1');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_store_pattern('SELECT 1', 'magic', 'SELECT 2');
\echo :LAST_ERROR_SQLSTATE
SELECT ml_store_pattern('SELECT * FROM t WHERE a = 1', 'index', 'SELECT 2');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM ml_match_pattern('SELECT 1', source => 'elsewhere');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM ml_patterns(row_limit => -5);
\echo :LAST_ERROR_SQLSTATE
