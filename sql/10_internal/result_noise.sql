-- The spread of one result around its pattern's effect, as learning uses it: the pooled spread
-- of recent results, but at least 10 points, and 10 points while nothing is pooled.  Timings of
-- one query vary by that much from run to run; below it, a few identical results (one writer's,
-- say) would make every single result of the pool count as near proof.
CREATE OR REPLACE FUNCTION query_ml.result_noise(pooled_sd double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN greatest(10, pooled_sd);
COMMENT ON FUNCTION query_ml.result_noise(double precision) IS
    'the spread of one result that learning assumes: the pooled spread, at least 10 points (10 without one)';
