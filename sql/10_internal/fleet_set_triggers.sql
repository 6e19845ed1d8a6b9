-- How query_ml's triggers fire, set after every install or update (CREATE OR REPLACE TRIGGER
-- resets it) and whenever this cluster joins or leaves a fleet:
--   * every trigger fires ALWAYS, also under session_replication_role = replica, which a
--     logical replication apply worker runs with: on a fleet's hub the merged rows keep the
--     statistics exact (README, "Fleet").  The foreign keys' own triggers too (a superuser's
--     change), or a merge's delete would not cascade there;
--   * the fleet's own triggers fire only where they serve: a member's outbox triggers
--     (<table>_fleet_*) on a member, the merge triggers of member_optimizations and
--     member_feedback on the hub; elsewhere they are disabled and cost nothing.
CREATE OR REPLACE FUNCTION query_ml.fleet_set_triggers()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind CONSTANT text := query_ml.fleet_kind();
    t record;
BEGIN
    FOR t IN
        SELECT c.relname, g.tgname, g.tgenabled,
               CASE WHEN g.tgname IN ('member_optimizations_truncate', 'member_feedback_truncate') THEN true
                    WHEN c.relname IN ('member_optimizations', 'member_feedback') THEN kind = 'hub'
                    WHEN g.tgname ~ '_fleet_' THEN kind = 'member'
                    ELSE true END AS wanted
          FROM pg_catalog.pg_trigger g
          JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
         WHERE c.relnamespace = 'query_ml'::regnamespace AND (NOT g.tgisinternal OR g.tgconstraint <> 0)
         ORDER BY c.relname, g.tgname
    LOOP
        IF coalesce(t.wanted, false) AND t.tgenabled <> 'A' THEN
            EXECUTE format('ALTER TABLE query_ml.%I ENABLE ALWAYS TRIGGER %I', t.relname, t.tgname);
        ELSIF NOT coalesce(t.wanted, false) AND t.tgenabled <> 'D' THEN
            EXECUTE format('ALTER TABLE query_ml.%I DISABLE TRIGGER %I', t.relname, t.tgname);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION query_ml.fleet_set_triggers() IS
    'makes every query_ml trigger fire ALWAYS (replication included), the fleet''s outbox triggers only on a member and its merge triggers only on the hub';
