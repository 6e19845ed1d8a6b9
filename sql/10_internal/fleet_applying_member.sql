-- The member whose subscription this backend applies, or NULL outside a fleet apply worker (its
-- initial copy included): the hub accepts a replicated row only from the member it belongs to.
CREATE OR REPLACE FUNCTION query_ml.fleet_applying_member()
RETURNS text
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT m.name FROM pg_catalog.pg_stat_subscription s
      JOIN query_ml.fleet_members m ON m.subscription = s.subname
     WHERE s.pid = pg_catalog.pg_backend_pid()
     LIMIT 1;
END;
COMMENT ON FUNCTION query_ml.fleet_applying_member() IS
    'the fleet member whose subscription this backend applies; NULL outside a fleet apply worker';
