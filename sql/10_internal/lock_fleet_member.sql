-- On a fleet's hub: one member's merges take turns, until their transaction ends.  The initial
-- copies of member_optimizations and member_feedback run in two transactions at once, and each
-- one's merge would miss the other's rows (not committed yet): a feedback row would wait for an
-- optimization that is there.  Taking turns, the second merge starts after the first commits,
-- and its statements see the first's rows (READ COMMITTED takes a snapshot per statement).
CREATE OR REPLACE FUNCTION query_ml.lock_fleet_member(member text)
RETURNS void
LANGUAGE sql VOLATILE
RETURN pg_catalog.pg_advisory_xact_lock(1714902741, pg_catalog.hashtext(member));
COMMENT ON FUNCTION query_ml.lock_fleet_member(text) IS
    'on a fleet''s hub: holds, until the transaction ends, the lock under which one member''s merges take turns';
