\i :header
\echo '== 4. The member subscribes to the hub''s results'
SELECT * FROM ml_fleet_join(:'hub');
