-- Trigger, on a member: a pattern's optimization type, template or scope changed
-- (ml_update_pattern), so its optimizations' published identity changes with it.
CREATE OR REPLACE FUNCTION query_ml.fleet_outbox_patterns()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF query_ml.fleet_kind() IS DISTINCT FROM 'member' THEN
        RETURN NULL;
    END IF;
    UPDATE query_ml.member_optimizations m
       SET optimization_type = NEW.optimization_type, optimized_template = NEW.optimized_template,
           shared = NEW.source_id IS NULL
      FROM query_ml.optimizations o, query_ml.fleet_identity i
     WHERE o.pattern_id = NEW.id AND m.origin = i.cluster_name AND m.id = o.id;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_outbox_patterns() IS
    'trigger, on a fleet member: a pattern''s new type, template or scope reaches what it publishes of its optimizations';
