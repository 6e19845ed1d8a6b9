-- A fleet as this cluster sees it, one row per part:
--   cluster: its name and kind;
--   publication: what it publishes;
--   slot: each fleet slot of this server, with how far its subscriber is behind (bytes of WAL
--     not yet confirmed) and how much WAL it keeps;
--   member (on the hub) or hub (on a member): each fleet subscription, its state (streaming,
--     copying, not running, disabled) and when it last heard from its publisher; on the hub, the
--     rows each member sent, those waiting for their optimization, and those refused.
CREATE OR REPLACE FUNCTION @extschema@.ml_fleet_status()
RETURNS TABLE (part text, name text, state text, lag_bytes bigint, last_message timestamptz, detail text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT 'cluster', i.cluster_name, coalesce(i.kind, 'not in a fleet'), NULL::bigint, NULL::timestamptz,
           format('fleet protocol v1, query_ml %s, in the fleet since %s',
                  (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'query_ml'),
                  query_ml.shown_time(i.since))
      FROM (SELECT 1) AS one LEFT JOIN query_ml.fleet_identity i ON true
    UNION ALL
    SELECT 'publication', p.pubname::text, 'published', NULL, NULL,
           (SELECT string_agg(t.schemaname || '.' || t.tablename, ', ' ORDER BY t.tablename)
              FROM pg_catalog.pg_publication_tables t WHERE t.pubname = p.pubname)
      FROM pg_catalog.pg_publication p
     WHERE p.pubname IN (query_ml.fleet_name('member_publication'), query_ml.fleet_name('hub_publication'))
    UNION ALL
    SELECT 'slot', r.slot_name::text, CASE WHEN r.active THEN 'streaming' ELSE 'inactive' END,
           pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), r.confirmed_flush_lsn)::bigint, NULL,
           format('keeps %s of WAL', pg_catalog.pg_size_pretty(
               pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), r.restart_lsn)))
      FROM pg_catalog.pg_replication_slots r
     WHERE r.slot_name LIKE 'query\_ml\_fleet\_%' AND r.database = current_database()
    UNION ALL
    SELECT CASE WHEN m.name IS NULL THEN 'hub' ELSE 'member' END, coalesce(m.name, s.subname::text),
           CASE WHEN NOT s.subenabled THEN 'disabled'
                WHEN w.pid IS NULL THEN 'not running'
                WHEN EXISTS (SELECT FROM pg_catalog.pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate <> 'r')
                    THEN 'copying'
                ELSE 'streaming' END,
           NULL, w.last_msg_receipt_time,
           CASE WHEN m.name IS NOT NULL THEN
               format('%s optimizations, %s feedback rows received; %s waiting for their optimization; %s refused',
                      (SELECT count(*) FROM query_ml.member_optimizations o WHERE o.origin = m.name),
                      (SELECT count(*) FROM query_ml.member_feedback f WHERE f.origin = m.name),
                      (SELECT count(*) FROM query_ml.member_feedback f
                        WHERE f.origin = m.name
                          AND NOT EXISTS (SELECT FROM query_ml.feedback x WHERE x.fleet_origin = f.origin AND x.fleet_id = f.id)
                          AND NOT EXISTS (SELECT FROM query_ml.optimizations o
                                           WHERE o.fleet_origin = f.origin AND o.fleet_id = f.optimization_id)),
                      (SELECT count(*) FROM query_ml.fleet_refusals x WHERE x.member = m.name))
           ELSE format('%s fleet patterns received', (SELECT count(*) FROM query_ml.fleet_patterns)) END
      FROM pg_catalog.pg_subscription s
      LEFT JOIN pg_catalog.pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
      LEFT JOIN query_ml.fleet_members m ON m.subscription = s.subname
     WHERE s.subname LIKE 'query\_ml\_fleet\_%'
       AND s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database());
END;
COMMENT ON FUNCTION @extschema@.ml_fleet_status() IS
    'this cluster''s fleet: its name and kind, its publication, its fleet slots with lag and WAL kept, and its fleet subscriptions with state, last message and (on the hub) rows received, waiting and refused';
