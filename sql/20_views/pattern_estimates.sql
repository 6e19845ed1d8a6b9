-- A pattern's estimate, as learning reads it: the mean estimate of the optimizations that the
-- pattern's own creator recorded (each within query_ml.learning_value), else of all of them.
-- Another role recording the same query shape and optimization lands on the pattern too; its
-- estimate must not become the prior of a pattern it never measured (found by the red team).
CREATE OR REPLACE VIEW query_ml.pattern_estimates AS
SELECT p.id AS pattern_id,
       query_ml.learning_value(coalesce(avg(o.estimated_improvement) FILTER (WHERE o.created_by = p.created_by),
                                        avg(o.estimated_improvement))::double precision) AS estimate
  FROM query_ml.patterns p
  JOIN query_ml.optimizations o ON o.pattern_id = p.id
 GROUP BY p.id;
COMMENT ON VIEW query_ml.pattern_estimates IS
    'each pattern''s estimate as learning reads it: the mean estimate of its creator''s optimizations (else of all), within -100 .. 100';
