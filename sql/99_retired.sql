-- Objects an update replaced, dropped once sql/ has rebound what used them.
DROP FUNCTION IF EXISTS query_ml.thresholds_retired();
