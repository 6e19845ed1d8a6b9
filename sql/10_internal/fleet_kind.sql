CREATE OR REPLACE FUNCTION query_ml.fleet_kind()
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT i.kind FROM query_ml.fleet_identity i;
END;
COMMENT ON FUNCTION query_ml.fleet_kind() IS 'hub or member when this cluster is in a fleet, else NULL';
