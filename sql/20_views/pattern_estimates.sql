-- A pattern's estimate, as learning reads it: the mean estimate of the optimizations that the
-- pattern's own creator recorded, else those of the role that recorded its first optimization
-- (each within query_ml.learning_value).  Another role recording the same query shape and
-- optimization later lands on the pattern too; its estimate must not become the prior of a
-- pattern it never measured (found by the red team).
-- Per pattern, a lateral aggregate over its own optimizations, with no GROUP BY on top: a join on
-- pattern_id reaches only the patterns it needs (by index), where a grouped view would be
-- computed whole for each row of a nested loop.
CREATE OR REPLACE VIEW query_ml.pattern_estimates AS
SELECT p.id AS pattern_id, x.estimate
  FROM query_ml.patterns p
 CROSS JOIN LATERAL (
       SELECT query_ml.learning_value(coalesce(avg(o.estimated_improvement) FILTER (WHERE o.created_by = p.created_by),
                                               avg(o.estimated_improvement) FILTER (WHERE o.created_by = f.created_by))
                                      ::double precision) AS estimate
         FROM query_ml.optimizations o
        CROSS JOIN (SELECT o1.created_by FROM query_ml.optimizations o1
                     WHERE o1.pattern_id = p.id ORDER BY o1.id LIMIT 1) f
        WHERE o.pattern_id = p.id) x
 WHERE x.estimate IS NOT NULL;
COMMENT ON VIEW query_ml.pattern_estimates IS
    'each pattern''s estimate as learning reads it: the mean estimate of its creator''s optimizations, else of its first recorder''s, within -100 .. 100';
