\i :header
\echo '== 5. "eu" records three optimizations and measures them 20 times each: the index pays, the rewrite pays, the setting does not'
SELECT ml_record_optimization('SELECT * FROM orders WHERE customer_id = 42', 'CREATE INDEX ON orders (customer_id)', 'index', 40) AS index_opt \gset
SELECT ml_record_optimization($$SELECT * FROM orders WHERE status = 'open' ORDER BY placed_at$$,
                              $$SELECT * FROM orders WHERE status = 'open' ORDER BY placed_at LIMIT 100$$, 'rewrite', 30) AS rewrite_opt \gset
SELECT ml_record_optimization('SELECT region, count(*) FROM orders GROUP BY region', $$SET work_mem = '256MB'$$, 'setting', 25) AS setting_opt \gset
INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, comment)
SELECT o, 200, 200 * (1 - (CASE o WHEN :index_opt THEN 55 WHEN :rewrite_opt THEN 35 ELSE -8 END + (g % 7) - 3) / 100.0),
       'measured on eu-db-3 by alice'
  FROM unnest(ARRAY[:index_opt, :rewrite_opt, :setting_opt]) o, generate_series(1, 20) g;
SELECT key AS pattern, applications, successes, regressions, mean_improvement, mean_estimated FROM ml_feedback_stats('pattern');
