\i :header
\echo '== 7. "us" never measured anything, and now suggests what the fleet learned; evidence says whose evidence each match shows'
SELECT pattern_id, evidence, score, applications, expected_improvement, suggestion
  FROM ml_match_pattern('SELECT * FROM orders WHERE customer_id = 99');
SELECT pattern_id, evidence, score, applications, expected_improvement, suggestion
  FROM ml_match_pattern($$SELECT * FROM orders WHERE status = 'shipped' ORDER BY placed_at$$);
\echo 'The setting made queries slower across the fleet (retired on the hub): it is not suggested here either'
SELECT count(*) AS suggestions FROM ml_match_pattern('SELECT region, count(*) FROM orders GROUP BY region');
SELECT optimization_type, status, query_ml.shown_percent(expected_improvement) AS expected_improvement, applications
  FROM query_ml.fleet_patterns WHERE optimization_type = 'setting';
