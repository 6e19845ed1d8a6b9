-- The first half of ml_fleet_publish: this cluster's name and kind, the publication of what it
-- shares, the replication role subscribers connect as, its triggers, and on a member what it
-- learned before; returns what to do next.  The same name and kind again change nothing.
CREATE OR REPLACE FUNCTION query_ml.fleet_publish_tables(cluster_name text, hub boolean)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me CONSTANT text := $1;
    wanted CONSTANT text := CASE WHEN hub THEN 'hub' ELSE 'member' END;
    publication CONSTANT name := query_ml.fleet_name(CASE WHEN hub THEN 'hub_publication' ELSE 'member_publication' END);
    role CONSTANT name := query_ml.fleet_name('role');
    current record;
BEGIN
    PERFORM query_ml.require_fleet_setup('ml_fleet_publish', true);
    IF hub IS NULL THEN
        RAISE EXCEPTION 'query_ml: hub must not be NULL' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'false (the default) makes this cluster a member, true the hub.';
    END IF;
    PERFORM query_ml.check_fleet_name(me, 'Name each cluster once, as the hub will know it: ml_fleet_publish(''eu_west'').');
    SELECT i.cluster_name, i.kind INTO current FROM query_ml.fleet_identity i;
    IF FOUND AND (current.cluster_name, current.kind) IS DISTINCT FROM (me, wanted) THEN
        RAISE EXCEPTION 'query_ml: this cluster is already the fleet % "%"',
            CASE WHEN current.kind = 'hub' THEN 'hub' ELSE 'member' END, current.cluster_name
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'ml_fleet_leave() takes it out of the fleet first.';
    END IF;
    INSERT INTO query_ml.fleet_identity (cluster_name, kind) VALUES (me, wanted) ON CONFLICT DO NOTHING;
    PERFORM query_ml.fleet_set_triggers();
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role) THEN
        -- Replication (a walsender) and SELECT on what is published, for the initial copy: nothing else.
        EXECUTE format('CREATE ROLE %I LOGIN REPLICATION', role);
        EXECUTE format('COMMENT ON ROLE %I IS %L', role,
                       'query_ml fleet: the role a fleet subscriber connects as (replication and SELECT on the fleet''s published tables only)');
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA query_ml TO %I', role);
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication p WHERE p.pubname = publication) THEN
        IF hub THEN
            EXECUTE format('CREATE PUBLICATION %I FOR TABLE query_ml.fleet_patterns, query_ml.fleet_calibration '
                           'WITH (publish = ''insert, update, delete'')', publication);
        ELSE
            -- member_feedback's arrived_xid is each cluster's own: the hub's default sets it there.
            EXECUTE format('CREATE PUBLICATION %I FOR TABLE query_ml.member_optimizations, query_ml.member_feedback '
                           '(origin, id, optimization_id, before_execution_ms, after_execution_ms, before_planning_ms, '
                           'after_planning_ms, measured_by, applied_at, created_at, submitted_by) '
                           'WITH (publish = ''insert, update, delete'')', publication);
        END IF;
    END IF;
    IF hub THEN
        EXECUTE format('GRANT SELECT ON query_ml.fleet_patterns, query_ml.fleet_calibration TO %I', role);
        PERFORM query_ml.fleet_share_results(ARRAY(SELECT p.id FROM query_ml.patterns p));
    ELSE
        EXECUTE format('GRANT SELECT ON query_ml.member_optimizations, query_ml.member_feedback TO %I', role);
        -- What was learned before joining is shared too.
        INSERT INTO query_ml.member_optimizations
        SELECT x.* FROM query_ml.optimizations o CROSS JOIN LATERAL query_ml.outbox_optimization(o) x
        ON CONFLICT DO NOTHING;
        INSERT INTO query_ml.member_feedback
        SELECT x.* FROM query_ml.feedback f CROSS JOIN LATERAL query_ml.outbox_feedback(f) x
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN CASE WHEN hub THEN 'on the hub, for each member: SELECT * FROM ml_fleet_add_member(''<member>'', ''<its conninfo>'')'
                ELSE format('on the hub: SELECT * FROM ml_fleet_add_member(%L, ''<conninfo of this server>''); '
                            'then here: SELECT * FROM ml_fleet_join(''<conninfo of the hub>'')', me) END;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_publish_tables(text, boolean) IS
    'the first half of ml_fleet_publish: name, kind, publication, replication role, triggers and what a member learned before';
