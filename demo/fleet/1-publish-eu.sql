\i :header
\echo '== 1. Member "eu": query_ml, then publish what it learns (a procedure: CALL it outside a transaction block)'
SET client_min_messages = warning;
CREATE EXTENSION query_ml CASCADE;
SET client_min_messages = notice;
CALL ml_fleet_publish('eu');
