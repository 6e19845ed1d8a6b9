-- The query_ml demo: what a DBA sees, from installing the extension onwards.  scripts/demo.sh
-- loads demo/workload.sql first, then feeds this file to psql; every line it prints fits 160
-- columns.  The query_ml functions round what they show (README, "Reading the output"), so
-- nothing here rounds again.
\pset footer off
\pset format wrapped
\pset columns 160
\set SHOW_CONTEXT never
-- The NOTICE that CASCADE installs plpython3u says what the heading already says.
SET client_min_messages = warning;
\set ECHO queries

\echo '== 1. Install: CREATE EXTENSION pulls in plpython3u; the ml_* functions need no schema prefix'
\set QUIET off
CREATE EXTENSION query_ml CASCADE;
\set QUIET on
\dx
SELECT ml_parser_version();

\echo
\echo '== 2. Fingerprints: queries that differ only in their literals share one fingerprint'
SELECT ml_fingerprint(q) AS fingerprint, ml_signature(q) AS signature, left(q, 80) AS query
  FROM (VALUES
    ('SELECT * FROM orders WHERE customer_id = 42'),
    ('select * from orders where customer_id = 7'),
    ($$SELECT c.name, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.placed_at > '2024-01-01' GROUP BY 1 LIMIT 10$$),
    ($$SELECT c.name, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.placed_at > '2025-06-30' GROUP BY 1 LIMIT 5$$)
  ) AS workload(q)
 ORDER BY 1;

\echo
\echo '== 3. Normalized text is the only form query_ml stores: no literal survives'
SELECT ml_normalize($$/* ticket for bob@example.com */
  SELECT * FROM payments WHERE email = 'bob@example.com' AND card = '4111-1111-1111-1111' AND paid_on = DATE '2024-02-29'$$);

\echo
\echo '== 4. Structural features, used to find similar patterns'
\pset format unaligned
\pset tuples_only on
SELECT jsonb_pretty(ml_features($$SELECT c.name, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id
  WHERE o.status IN ('paid', 'shipped') AND c.email LIKE '%@example.com' GROUP BY c.name$$));
\pset format wrapped
\pset tuples_only off

\echo
\echo '== 5. Bad input gets a clear error with an SQLSTATE, and no literal in the message'
\set ON_ERROR_STOP 0
SELECT ml_fingerprint($$SELECT * FORM orders WHERE card = '4111-1111-1111-1111'$$);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ml_fingerprint('SELECT 1; SELECT 2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ml_fingerprint('');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set ON_ERROR_STOP 1

\echo
\echo '== 6. The workload: a shop with 300,000 orders (demo/workload.sql)'
SELECT relname AS table, reltuples::bigint AS rows FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 2 DESC;

\echo
\echo '== 7. Sources: where queries come from; patterns can be scoped to one or shared by a dialect'
SELECT ml_register_source('shop-eu', database_name => 'shop', cluster_name => 'eu-1') AS source_id;
SELECT ml_register_source('shop-us', database_name => 'shop', cluster_name => 'us-1') AS source_id;
SELECT name, dialect, database_name, cluster_name, is_active FROM ml_sources();

\echo
\echo '== 8. The DBA records optimizations and what each should bring; patterns are made as needed'
SELECT ml_record_optimization(
         $$SELECT * FROM orders WHERE customer_id = 4242 AND status IN ('paid', 'shipped') ORDER BY placed_at DESC LIMIT 20$$,
         'CREATE INDEX ON orders (customer_id, placed_at)', 'index', 70,
         source => 'shop-eu', description => 'index the customer''s recent orders', shared => true) AS recent_orders \gset
\echo recent_orders = :recent_orders
SELECT ml_record_optimization(
         $$SELECT count(*) FROM orders WHERE lower(status) = 'refunded' AND placed_at >= '2024-06-01'$$,
         $$SELECT count(*) FROM orders WHERE status = 'refunded' AND placed_at >= '2024-06-01'$$, 'rewrite', 30,
         source => 'shop-eu', description => 'compare the column itself: statuses are stored in lower case') AS refunds \gset
\echo refunds = :refunds
SELECT ml_record_optimization(
         $$SELECT c.country, count(*), sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.placed_at >= '2024-01-01' GROUP BY 1$$,
         $$SET work_mem = '64MB'$$, 'setting', 25,
         source => 'shop-us', description => 'let the aggregate hash in memory') AS countries \gset
\echo countries = :countries
SELECT ml_record_optimization(
         $$SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id BETWEEN 1000 AND 1020$$,
         $$SET enable_nestloop = off$$, 'setting', 20,
         source => 'shop-us', description => 'avoid nested loops') AS lookup \gset
\echo lookup = :lookup
SELECT id, signature, optimization_type AS type, source, normalized_query, optimized_template FROM ml_patterns() \gx

\echo
\echo '== 9. Measured for real inside the database: EXPLAIN ANALYZE before and after, medians of 5 runs,'
\echo '      read-only and rolled back: the index and the settings exist only while they are measured'
SELECT feedback_id, before_execution_ms AS before_ms, after_execution_ms AS after_ms,
       before_shared_hit + before_shared_read AS before_buffers, after_shared_hit + after_shared_read AS after_buffers,
       actual_improvement, estimated_improvement, estimation_error, succeeded
  FROM ml_track(:recent_orders, sql => $$SELECT * FROM orders WHERE customer_id = 17 AND status IN ('paid') ORDER BY placed_at DESC LIMIT 20$$);
SELECT indexname FROM pg_indexes WHERE tablename = 'orders';
SELECT o.id AS optimization, f.before_execution_ms AS before_ms, f.after_execution_ms AS after_ms, f.actual_improvement,
       f.estimated_improvement, f.succeeded, f.regressed
  FROM (VALUES (:refunds, $$SELECT count(*) FROM orders WHERE lower(status) = 'refunded' AND placed_at >= '2024-09-01'$$),
               (:countries, $$SELECT c.country, count(*), sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id
                              WHERE o.placed_at >= '2024-03-01' GROUP BY 1$$),
               (:lookup, $$SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id BETWEEN 5000 AND 5020$$)
       ) AS o (id, sql),
       LATERAL ml_track(o.id, sql => o.sql) f;
SHOW enable_nestloop;

\echo
\echo '== 10. Feedback from production: one submitted by hand, and a history of 15 days loaded by plain INSERT'
\echo '       (the triggers keep the statistics in step however rows arrive; the nested-loop setting'
\echo '       was tried during the first week only)'
SELECT feedback_id, actual_improvement, estimation_error, succeeded, rating
  FROM ml_submit_feedback(:refunds, before_execution_ms => 84.0, after_execution_ms => 61.5, rating => 4,
                          comment => 'helps, less than hoped');
\set ECHO none
SELECT setseed(0.7) \gset
\set ECHO queries
\set QUIET off
INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, rating, applied_at, measured_by)
SELECT opt, before, before * greatest(0.01, typical * (0.7 + random() * 0.6)), 1 + (random() * 4)::integer,
       now() - (g * interval '9 hours'), 'import'
  FROM (SELECT p.opt, p.typical, g, 50 + random() * 400 AS before
          FROM (VALUES (:recent_orders, 0.03, 1, 40), (:refunds, 0.72, 1, 40), (:countries, 0.93, 1, 40),
                       (:lookup, 3.0, 25, 40)) AS p (opt, typical, oldest, newest),
               generate_series(p.oldest, p.newest) AS g) AS history;
\set QUIET on
SELECT key AS type, applications, success_rate, mean_improvement, mean_estimated, mean_error, accuracy, mean_rating
  FROM ml_feedback_stats('type');
SELECT id, optimization_type AS type, applications, success_rate, mean_improvement, confidence, confidence_wilson AS wilson
  FROM ml_patterns() ORDER BY confidence DESC;
\echo 'the maintained statistics against a full recomputation:'
SELECT count(*) AS differences FROM ml_check_stats();

\echo
\echo '== 11. A new query arrives: matched by fingerprint, suggested with its confidence,'
\echo '       the rewrite made concrete with the new query''s own literals'
SELECT rank, pattern_id, match_kind, confidence, expected_improvement AS expected, suggestion, applied_sql
  FROM ml_match_and_suggest($$SELECT count(*) FROM orders WHERE lower(status) = 'refunded' AND placed_at >= '2025-01-01'$$) \gx

\echo
\echo '== 12. A query never seen before: no exact match, so the most similar patterns'
SELECT pattern_id, match_kind, similarity, confidence, suggestion
  FROM ml_match_pattern($$SELECT * FROM orders WHERE customer_id = 77 AND region = 'eu' ORDER BY placed_at DESC LIMIT 5$$);
SELECT pattern_id, similarity
  FROM ml_similar_patterns($$SELECT c.country, avg(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country$$);

\echo
\echo '== 13. The top patterns, one pattern in detail, and where its confidence comes from'
SELECT rank, pattern_id, signature, applications, confidence, confidence_wilson AS wilson, description
  FROM ml_top_patterns(5);
\pset format unaligned
\pset tuples_only on
SELECT jsonb_pretty(ml_pattern(:recent_orders, recent => 2) - 'normalized_query' - 'optimized_template');
\pset format wrapped
\pset tuples_only off
SELECT term, value, explanation FROM ml_explain_confidence(:recent_orders);

\echo
\echo '== 14. Refinement: calibrate the expected improvements, correct each type''s bias, retire what made queries slower'
SELECT * FROM ml_refine() \gx
SELECT o.id, o.optimization_type AS type, o.status, o.expected_improvement AS calibrated, p.status_reason
  FROM ml_patterns() o JOIN query_ml.patterns p USING (id) ORDER BY o.id;

\echo
\echo '== 15. After refinement: the nested-loop setting is retired, so nothing is suggested for its query any more'
SELECT count(*) AS suggestions
  FROM ml_match_and_suggest($$SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id BETWEEN 9000 AND 9020$$);
SELECT rank, pattern_id, confidence, expected_improvement AS expected, applied_sql
  FROM ml_match_and_suggest($$SELECT count(*) FROM orders WHERE lower(status) = 'refunded' AND placed_at >= '2025-02-01'$$);

\echo
\echo '== 16. Estimation accuracy and bias, read from the maintained sums (as fast at a million rows as at ten)'
SELECT * FROM ml_accuracy(3);
SELECT * FROM ml_estimation_bias('type');

\echo
\echo '== 17. The workload in production: pg_stat_statements ranks where learning saves the most time,'
\echo '       and an index built for real is verified against the captured workload'
\set QUIET off
CREATE EXTENSION pg_stat_statements;
\set QUIET on
SELECT ml_set_setting('verify_min_calls', '50') AS verify_min_calls;
SELECT capture_id, statements FROM ml_capture_workload();
\echo 'the application runs its queries (80 of each, from the client, so pg_stat_statements counts them):'
\set ECHO none
\o /dev/null
SELECT format($$SELECT * FROM orders WHERE customer_id = %s AND status IN ('paid', 'shipped') ORDER BY placed_at DESC LIMIT 20$$, g)
  FROM generate_series(1, 80) g \gexec
SELECT format($$SELECT count(*) FROM orders WHERE lower(status) = 'refunded' AND placed_at >= '2024-%s-01'$$, 1 + g % 12)
  FROM generate_series(1, 80) g \gexec
SELECT format($$SELECT sum(amount) FROM payments WHERE card_last4 = '%s'$$, lpad(g::text, 4, '0'))
  FROM generate_series(1, 80) g \gexec
\o
\set ECHO queries
SELECT capture_id, statements, calls FROM ml_capture_workload();
SELECT calls, total_ms, mean_ms, pattern_id AS pattern, optimization_type AS type, expected_improvement AS expected,
       saved_ms, note, left(query, 62) AS query
  FROM ml_workload_opportunities(row_limit => 3, min_calls => 10);
\echo 'the DBA builds the index in production, and says so:'
SELECT * FROM ml_mark_applied(:recent_orders);
CREATE INDEX ON orders (customer_id, placed_at);
SELECT capture_id, calls, verified FROM ml_capture_workload();
\set ECHO none
\o /dev/null
SELECT format($$SELECT * FROM orders WHERE customer_id = %s AND status IN ('paid', 'shipped') ORDER BY placed_at DESC LIMIT 20$$, g)
  FROM generate_series(101, 180) g \gexec
\o
\set ECHO queries
SELECT capture_id, calls, verified FROM ml_capture_workload();
SELECT optimization_id, status, calls_before, calls_after, before_ms, after_ms, improvement FROM ml_production_changes();
SELECT feedback_id, measured_by, before_execution_ms AS before_ms, after_execution_ms AS after_ms, actual_improvement, comment
  FROM ml_list_feedback(optimization_id => :recent_orders, row_limit => 1);
SELECT patterns_considered FROM ml_refine();
SELECT calls, pattern_id AS pattern, expected_improvement AS expected, saved_ms, note, left(query, 62) AS query
  FROM ml_workload_opportunities(row_limit => 2, min_calls => 10);
SELECT pattern_id, expected_improvement
  FROM ml_match_pattern($$SELECT * FROM orders WHERE customer_id = 1 AND status IN ('new') ORDER BY placed_at DESC LIMIT 20$$);

\echo
\echo '== 18. Refinement on a schedule: a pg_cron job, and the health check'
\set QUIET off
CREATE EXTENSION pg_cron;
\set QUIET on
SELECT ml_schedule_refinement('*/10 * * * *') AS job_id;
SELECT jobname, schedule, command FROM cron.job;
SELECT * FROM ml_health();
SELECT * FROM ml_stats_summary();

\echo
\echo '== 19. Settings'
SELECT name, value, is_default, description FROM ml_settings();

\echo
\echo '== 20. What the extension created: every object carries a comment'
SELECT c.relname AS table, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c WHERE c.relnamespace = 'query_ml'::regnamespace AND c.relkind = 'r' ORDER BY 1;
SELECT p.proname AS function, p.pronargs AS arguments, obj_description(p.oid, 'pg_proc') AS comment
  FROM pg_proc p WHERE p.proname LIKE 'ml\_%' ORDER BY 1;

\echo
\echo '== 21. The analysis: success, accuracy, trend, bias, what works, what to improve, and what to do'
\pset format unaligned
\pset tuples_only on
SELECT jsonb_pretty(ml_analyze_feedback(16) - 'successful_patterns' - 'areas_to_improve' - 'recommendations');
\pset format wrapped
\pset tuples_only off
\echo 'its recommendations, each with the figures behind it (the report in section 23 has their text):'
SELECT r ->> 'rule' AS rule, r ->> 'severity' AS severity, r -> 'figures' AS figures
  FROM jsonb_array_elements(ml_analyze_feedback(16) -> 'recommendations') AS r;

\echo
\echo '== 22. The accuracy trend, day by day'
SELECT bucket_start::date AS day, feedback, accuracy, bar FROM ml_accuracy_trend(16);
SELECT * FROM ml_accuracy_verdict(16);

\echo
\echo '== 23. The improvement report'
\pset format unaligned
\pset tuples_only on
SELECT ml_improvement_report_text(16);
