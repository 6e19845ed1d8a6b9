-- The human-facing figures, as psql shows them: rounded for reading (README, "Reading the output").
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS query_ml CASCADE;
RESET client_min_messages;
\set SHOW_CONTEXT never

SELECT ml_record_optimization($$SELECT * FROM items WHERE sku = 'A-1'$$, 'CREATE INDEX ON items (sku)', 'index', 70,
                              shared => true) AS items \gset
SELECT ml_record_optimization($$SELECT * FROM carts WHERE id = 7$$, 'SET work_mem = ''64MB''', 'setting', 20) AS carts \gset
INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, rating)
VALUES (:items, 21.123456789, 0.6221, NULL), (:items, 30, 1.0000001, 4), (:items, 12.5, 4.75, 5),
       (:carts, 10, 9.333333, 2), (:carts, 10, 11.5, 1);

SELECT key, patterns, applications, success_rate, mean_improvement, mean_estimated, mean_error, mean_abs_error, accuracy,
       within_10_rate, mean_rating
  FROM ml_feedback_stats('source');
SELECT * FROM ml_accuracy(0);
SELECT * FROM ml_estimation_bias('type');
SELECT rank, optimization_type, applications, success_rate, mean_improvement, confidence, confidence_wilson
  FROM ml_top_patterns();
SELECT optimization_type, source, success_rate, mean_improvement, median_improvement, mean_error, accuracy,
       expected_improvement, confidence, confidence_wilson
  FROM ml_patterns(min_applications => 1);
SELECT before_execution_ms, after_execution_ms, actual_improvement, estimated_improvement, estimation_error
  FROM ml_list_feedback(optimization_id => :items);
SELECT metric, value FROM ml_stats_summary() WHERE metric IN ('success rate', 'mean improvement', 'estimation accuracy',
                                                             'within 10 points', 'estimation bias');
