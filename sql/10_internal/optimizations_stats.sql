-- A changed estimate or pattern, or a deleted optimization (whose feedback goes with it,
-- unseen by the feedback trigger), changes whole patterns: they are recomputed.  A new
-- optimization changes its pattern's estimate, not its counts: the pattern is marked for the next
-- ml_refine() (query_ml.mark_changed; also a pattern not refined yet, which a refinement may take
-- up before this commits).
CREATE OR REPLACE FUNCTION query_ml.optimizations_stats()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT n.pattern_id) INTO touched FROM new_rows n;
        IF touched IS NOT NULL THEN
            PERFORM query_ml.mark_changed(touched);
        END IF;
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT o.pattern_id) INTO touched FROM old_rows o;
    ELSE
        SELECT array_agg(DISTINCT p.id) INTO touched
          FROM old_rows o JOIN new_rows n ON n.id = o.id, LATERAL (VALUES (o.pattern_id), (n.pattern_id)) AS p (id)
         WHERE o.pattern_id IS DISTINCT FROM n.pattern_id OR o.estimated_improvement IS DISTINCT FROM n.estimated_improvement;
    END IF;
    IF touched IS NOT NULL THEN
        PERFORM query_ml.recompute_pattern_stats(touched);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.optimizations_stats() IS
    'trigger: recomputes the statistics of patterns whose optimizations changed estimate or pattern, or were deleted, and marks patterns that gained one changed';
