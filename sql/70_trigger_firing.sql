-- After every install or update: how each trigger fires (query_ml.fleet_set_triggers).
SELECT query_ml.fleet_set_triggers();
