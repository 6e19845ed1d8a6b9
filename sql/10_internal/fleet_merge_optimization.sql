-- Trigger, on the hub, after each replicated row of member_optimizations: the member's
-- optimization becomes one of the hub's, under the hub's pattern of the same identity
-- (fingerprint, scope by source name, type and template: rows merge by identity, not by id),
-- made when there is none; its feedback that arrived first is merged with it.  A row that
-- cannot be merged is recorded in fleet_refusals and replication goes on.
CREATE OR REPLACE FUNCTION query_ml.fleet_merge_optimization()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pattern bigint;
    source integer;
BEGIN
    IF query_ml.fleet_kind() IS DISTINCT FROM 'hub' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- Its merged feedback goes with it (ON DELETE CASCADE), and the statistics with that.
        DELETE FROM query_ml.optimizations o WHERE o.fleet_origin = OLD.origin AND o.fleet_id = OLD.id;
        RETURN NULL;
    END IF;
    PERFORM query_ml.lock_fleet_member(NEW.origin);
    BEGIN
        INSERT INTO query_ml.sources (name, dialect, description)
        VALUES (NEW.source_name, NEW.source_dialect, 'a fleet member''s source')
        ON CONFLICT (name) DO NOTHING;
        pattern := query_ml.fleet_pattern_for(NEW.original_query, NEW.optimization_type, NEW.optimized_template,
                                              NEW.source_name, NEW.shared);
        source := (SELECT s.id FROM query_ml.sources s WHERE s.name = NEW.source_name);
        UPDATE query_ml.optimizations o
           SET pattern_id = pattern, source_id = source, original_query = NEW.original_query,
               estimated_improvement = NEW.estimated_improvement
         WHERE o.fleet_origin = NEW.origin AND o.fleet_id = NEW.id
           AND (o.pattern_id, o.source_id, o.original_query, o.estimated_improvement)
               IS DISTINCT FROM (pattern, source, NEW.original_query, NEW.estimated_improvement);
        INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, estimated_improvement, created_by,
                                            created_at, fleet_origin, fleet_id)
        SELECT pattern, source, NEW.original_query, NEW.estimated_improvement,
               left(NEW.origin || '/' || NEW.created_by, 63), NEW.created_at, NEW.origin, NEW.id
         WHERE NOT EXISTS (SELECT FROM query_ml.optimizations o
                            WHERE o.fleet_origin = NEW.origin AND o.fleet_id = NEW.id);
        PERFORM query_ml.fleet_merge_pending(NEW.origin, NEW.id);
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO query_ml.fleet_refusals (member, table_name, origin, row_id, reason)
        VALUES (NEW.origin, TG_TABLE_NAME, NEW.origin, NEW.id, format('not merged: %s (SQLSTATE %s)', SQLERRM, SQLSTATE));
    END;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_merge_optimization() IS
    'trigger, on a fleet''s hub: merges a member''s optimization into the hub''s pattern of the same identity';
