-- Trigger, on a member: keeps member_optimizations, what it publishes to the hub, equal to its
-- optimizations (query_ml.outbox_optimization).  Nothing outside a fleet's member.
CREATE OR REPLACE FUNCTION query_ml.fleet_outbox_optimizations()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF query_ml.fleet_kind() IS DISTINCT FROM 'member' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM query_ml.member_optimizations m
         USING old_rows o, query_ml.fleet_identity i
         WHERE m.origin = i.cluster_name AND m.id = o.id;
        RETURN NULL;
    END IF;
    -- INSERT or UPDATE (ids are identities, never updated)
    INSERT INTO query_ml.member_optimizations AS m
    SELECT x.* FROM new_rows o CROSS JOIN LATERAL query_ml.outbox_optimization(o) x
    ON CONFLICT (origin, id) DO UPDATE
       SET original_query = excluded.original_query, optimization_type = excluded.optimization_type,
           optimized_template = excluded.optimized_template, source_name = excluded.source_name,
           source_dialect = excluded.source_dialect, shared = excluded.shared,
           estimated_improvement = excluded.estimated_improvement
     WHERE (m.original_query, m.optimization_type, m.optimized_template, m.source_name, m.source_dialect,
            m.shared, m.estimated_improvement)
           IS DISTINCT FROM (excluded.original_query, excluded.optimization_type, excluded.optimized_template,
                             excluded.source_name, excluded.source_dialect, excluded.shared,
                             excluded.estimated_improvement);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_outbox_optimizations() IS
    'trigger, on a fleet member: keeps member_optimizations (what it publishes) equal to its optimizations, normalized';
