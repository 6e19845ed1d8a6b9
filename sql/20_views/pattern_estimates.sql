-- A pattern's estimate, as learning reads it: the mean estimate of the optimizations that the
-- pattern's own creator recorded, else those of the role that recorded its first optimization
-- (each within query_ml.learning_value).  Another role recording the same query shape and
-- optimization later lands on the pattern too; its estimate must not become the prior of a
-- pattern it never measured (found by the red team).
CREATE OR REPLACE VIEW query_ml.pattern_estimates AS
SELECT p.id AS pattern_id,
       query_ml.learning_value(coalesce(avg(o.estimated_improvement) FILTER (WHERE o.created_by = p.created_by),
                                        avg(o.estimated_improvement) FILTER (WHERE o.created_by = f.created_by))
                               ::double precision) AS estimate
  FROM query_ml.patterns p
  JOIN query_ml.optimizations o ON o.pattern_id = p.id
 CROSS JOIN LATERAL (SELECT o1.created_by FROM query_ml.optimizations o1
                      WHERE o1.pattern_id = p.id ORDER BY o1.id LIMIT 1) f
 GROUP BY p.id;
COMMENT ON VIEW query_ml.pattern_estimates IS
    'each pattern''s estimate as learning reads it: the mean estimate of its creator''s optimizations, else of its first recorder''s, within -100 .. 100';
