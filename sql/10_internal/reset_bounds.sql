CREATE OR REPLACE FUNCTION query_ml.reset_bounds(pattern_ids bigint[], into_shard smallint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM FROM query_ml.pattern_stats s WHERE s.pattern_id = ANY (pattern_ids)
      ORDER BY s.pattern_id, s.shard FOR UPDATE;
    UPDATE query_ml.pattern_stats s
       SET first_applied = CASE WHEN s.shard = into_shard THEN b.first END,
           last_applied = CASE WHEN s.shard = into_shard THEN b.last END
      FROM (SELECT p.id, min(f.applied_at) AS first, max(f.applied_at) AS last
              FROM unnest(pattern_ids) AS p (id)
              LEFT JOIN query_ml.optimizations o ON o.pattern_id = p.id
              LEFT JOIN query_ml.feedback f ON f.optimization_id = o.id
             GROUP BY p.id) b
     WHERE s.pattern_id = b.id;
END
$$;
COMMENT ON FUNCTION query_ml.reset_bounds(bigint[], smallint) IS
    'reads the first and last feedback time of some patterns from the feedback rows, and keeps them in one shard';
