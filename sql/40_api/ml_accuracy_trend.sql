-- The window's buckets end with the one that holds now: ml_accuracy_trend(7) is today and the six
-- days before it, as many rows as check_window counts, none of them before the window.
CREATE OR REPLACE FUNCTION @extschema@.ml_accuracy_trend(days integer DEFAULT 30, bucket interval DEFAULT '1 day')
RETURNS TABLE (bucket_start timestamptz, feedback bigint, accuracy double precision, within_10 double precision,
               mean_error double precision, bar text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    last_start timestamptz;
    first_start timestamptz;
BEGIN
    PERFORM query_ml.check_window(days, bucket);
    last_start := date_bin(bucket, now(), timestamptz '2000-01-01');
    first_start := last_start - bucket * (ceil(extract(epoch FROM make_interval(days => days)) / extract(epoch FROM bucket)) - 1)::integer;
    RETURN QUERY
        SELECT b.start, b.n, query_ml.shown_fraction(b.acc), query_ml.shown_fraction(b.w10),
               query_ml.shown_percent(b.err),
               CASE WHEN b.n = 0 THEN ''
                    ELSE repeat('█', round(b.acc * 30)::integer) || repeat('░', 30 - round(b.acc * 30)::integer)
                         || format(' %s%%', query_ml.shown_percent(100 * b.acc)) END
          FROM (SELECT s AS start, count(f.id) AS n,
                       avg(query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement)) AS acc,
                       avg((abs(o.estimated_improvement - f.actual_improvement) <= 10)::integer) AS w10,
                       query_ml.mean_error(sum(o.estimated_improvement), sum(f.actual_improvement), count(f.id)) AS err
                  FROM generate_series(first_start, last_start, bucket) AS s
                  LEFT JOIN query_ml.feedback f ON f.applied_at >= s AND f.applied_at < s + bucket
                  LEFT JOIN query_ml.optimizations o ON o.id = f.optimization_id
                 GROUP BY s) b
         ORDER BY b.start;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_accuracy_trend(integer, interval) IS
    'estimation accuracy per bucket (default: today and the 29 days before; at most 3650 days and 5000 buckets), with feedback count, share within 10 points, mean signed error and a text bar, rounded for reading; ml_accuracy_verdict() says whether it improves';
