\i :header
\echo '== 8. The fleet as the hub sees it: its publication, a slot per member (lag in bytes), a subscription per member'
SELECT part, name, state, lag_bytes, detail FROM ml_fleet_status();
