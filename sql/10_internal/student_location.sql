-- A Student-t (3 d.f.) location estimate of some results (README, "Gating"): three reweighting
-- steps (query_ml.student_weight) from a start (their median), for results of that scale.  Over
-- an array, so that each pattern's few results are reweighted where they lie, with no join.
CREATE OR REPLACE FUNCTION query_ml.student_location(ys double precision[], start double precision,
                                                     scale double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
    WITH one AS (
        SELECT sum(u.y * query_ml.student_weight(u.y, start, scale))
               / sum(query_ml.student_weight(u.y, start, scale)) AS centre
          FROM unnest(ys) AS u (y)
    ), two AS (
        SELECT sum(u.y * query_ml.student_weight(u.y, c.centre, scale))
               / sum(query_ml.student_weight(u.y, c.centre, scale)) AS centre
          FROM one c, unnest(ys) AS u (y)
    )
    SELECT sum(u.y * query_ml.student_weight(u.y, c.centre, scale)) / sum(query_ml.student_weight(u.y, c.centre, scale))
      FROM two c, unnest(ys) AS u (y)
);
COMMENT ON FUNCTION query_ml.student_location(double precision[], double precision, double precision) IS
    'a Student-t (3 d.f.) location estimate of some results: three reweighting steps from a start, for results of that scale';
