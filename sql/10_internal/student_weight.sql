-- The weight of a result y in a Student-t (3 d.f.) location estimate around centre, for results of
-- that scale: about 1 near the centre, falling as (scale / distance)^2 far from it.  Timings have
-- heavy tails; this estimate keeps nearly all the precision of a mean on clean results and gives an
-- outlier almost none (query_ml.weigh_recent takes one step of it from the median).
CREATE OR REPLACE FUNCTION query_ml.student_weight(y double precision, centre double precision,
                                                   scale double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 4 / (3 + ((y - centre) / scale) ^ 2);
COMMENT ON FUNCTION query_ml.student_weight(double precision, double precision, double precision) IS
    'the weight of a result in a Student-t (3 d.f.) location estimate: 4 / (3 + ((y - centre) / scale)^2)';
