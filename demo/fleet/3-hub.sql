\i :header
\echo '== 3. The hub subscribes to both members, and publishes the fleet''s results for them'
SET client_min_messages = warning;
CREATE EXTENSION query_ml CASCADE;
SET client_min_messages = notice;
CALL ml_fleet_publish('hub', hub => true);
SELECT member, subscription_name, slot_name FROM ml_fleet_add_member('eu', :'eu');
SELECT member, subscription_name, slot_name FROM ml_fleet_add_member('us', :'us');
