-- What a member publishes of one of its optimizations (query_ml.member_optimizations): the
-- normalized query, its pattern's type, template and scope by source name, the estimate, who
-- and when.  One projection for the outbox triggers and for ml_fleet_publish's first copy.
CREATE OR REPLACE FUNCTION query_ml.outbox_optimization(o query_ml.optimizations)
RETURNS SETOF query_ml.member_optimizations
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT i.cluster_name, o.id, o.original_query, p.optimization_type, p.optimized_template, s.name, s.dialect,
           p.source_id IS NULL, o.estimated_improvement, o.created_by, o.created_at
      FROM query_ml.fleet_identity i, query_ml.patterns p, query_ml.sources s
     WHERE i.kind = 'member' AND p.id = o.pattern_id AND s.id = o.source_id;
END;
COMMENT ON FUNCTION query_ml.outbox_optimization(query_ml.optimizations) IS
    'on a fleet member: what it publishes of an optimization (normalized text, type, template, scope, estimate)';
