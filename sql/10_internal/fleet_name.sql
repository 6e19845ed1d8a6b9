-- The name of each replication object of a fleet, in one place.  The protocol version (v1) is in
-- every name: a hub and a member that speak different versions find no publication or slot of
-- each other's, and the helpers refuse with that reason instead of replicating tables whose
-- columns differ (README, "Fleet").
CREATE OR REPLACE FUNCTION query_ml.fleet_name(object text, member text DEFAULT NULL)
RETURNS name
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE object
           WHEN 'member_publication' THEN 'query_ml_fleet_member_v1'
           WHEN 'hub_publication' THEN 'query_ml_fleet_hub_v1'
           -- on a member: the slot the hub's subscription reads; named after the member, so that a
           -- subscription under another member's name finds no slot to read
           WHEN 'member_slot' THEN 'query_ml_fleet_v1_' || member || '_to_hub'
           -- on the hub: the slot each member's subscription reads
           WHEN 'hub_slot' THEN 'query_ml_fleet_v1_to_' || member
           WHEN 'hub_subscription' THEN 'query_ml_fleet_v1_from_' || member
           WHEN 'member_subscription' THEN 'query_ml_fleet_v1_from_hub'
           WHEN 'role' THEN 'query_ml_fleet'
       END;
COMMENT ON FUNCTION query_ml.fleet_name(text, text) IS
    'the name of a fleet''s publication, slot, subscription or replication role (protocol v1)';
