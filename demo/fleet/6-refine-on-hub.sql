\i :header
\echo '== 6. The hub has merged what "eu" sent into its own patterns (one per query shape, whoever recorded it), with exact statistics'
SELECT p.id AS pattern_id, p.optimization_type, array_agg(DISTINCT o.fleet_origin ORDER BY o.fleet_origin) AS members,
       t.applications, left(p.normalized_query, 60) AS query
  FROM query_ml.patterns p JOIN query_ml.optimizations o ON o.pattern_id = p.id JOIN query_ml.pattern_totals t ON t.pattern_id = p.id
 GROUP BY p.id, t.applications ORDER BY p.id;
SELECT count(*) AS differences FROM ml_check_stats();
\echo 'Nothing literal came: the queries are normalized, and no comment was sent'
SELECT origin, id, original_query FROM query_ml.member_optimizations ORDER BY origin, id;
\echo 'ml_refine() learns from the whole fleet and writes the results that members read'
SELECT run_id, status, feedback_considered, patterns_considered, patterns_retired FROM ml_refine();
SELECT pattern_id, optimization_type, status, query_ml.shown_fraction(score) AS score,
       query_ml.shown_percent(expected_improvement) AS expected_improvement, applications, members
  FROM query_ml.fleet_patterns ORDER BY pattern_id;
