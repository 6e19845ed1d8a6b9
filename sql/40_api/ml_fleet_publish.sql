-- Makes this cluster a fleet member (or, with hub => true, the hub) under a name
-- (query_ml.fleet_publish_tables), commits, then on a member makes the slot the hub's
-- subscription reads.  A procedure, since the order matters and needs a commit between: a slot
-- made before its publication is committed cannot decode the changes in between ("publication
-- does not exist", for good), and a logical slot cannot be made in a transaction that wrote.
-- CALL it outside a transaction block.  Calling it again with the same name and kind changes
-- nothing.
CREATE OR REPLACE PROCEDURE @extschema@.ml_fleet_publish(cluster_name text, hub boolean DEFAULT false)
LANGUAGE plpgsql
AS $$
DECLARE
    next_step text;
BEGIN
    -- No SET clause (a procedure with one cannot COMMIT): the path is pinned for each transaction.
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    PERFORM query_ml.require_fleet_setup('ml_fleet_publish', true);
    next_step := query_ml.fleet_publish_tables(cluster_name, hub);
    COMMIT;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    IF NOT hub THEN
        PERFORM query_ml.fleet_make_slot(query_ml.fleet_name('member_slot', cluster_name));
    END IF;
    RAISE NOTICE 'query_ml: this cluster is the fleet % "%"', CASE WHEN hub THEN 'hub' ELSE 'member' END, cluster_name
        USING HINT = pg_catalog.format('Next, %s.', next_step);
END
$$;
COMMENT ON PROCEDURE @extschema@.ml_fleet_publish(text, boolean) IS
    'makes this cluster a fleet member (or with hub => true the hub) under a name: its publication, the replication role query_ml_fleet, and on a member the slot the hub reads; CALL it outside a transaction block';
