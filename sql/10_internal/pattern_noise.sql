-- The spread of one result of a pattern, as learning uses it: the pattern's own spread (of its
-- latest results, query_ml.weigh_recent), shrunk towards 10 points as if 2 results had shown
-- that, and at least query_ml.result_noise.  A pattern's own: another role's results on other
-- patterns cannot make this pattern's results count for less.
CREATE OR REPLACE FUNCTION query_ml.pattern_noise(results integer, spread double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN query_ml.result_noise(sqrt((coalesce(results, 0) * coalesce(spread, 0) ^ 2 + 2 * 10 ^ 2)
                                  / (coalesce(results, 0) + 2)));
COMMENT ON FUNCTION query_ml.pattern_noise(integer, double precision) IS
    'the spread of one result of a pattern: its own spread over its results, shrunk towards 10 points, at least 10';
