-- The schema for query_ml's tables and internals; the ml_* API lives in the
-- extension's own schema (public unless CREATE EXTENSION ... SCHEMA says otherwise).
CREATE SCHEMA query_ml;
COMMENT ON SCHEMA query_ml IS 'query_ml: tables and internal functions of the query_ml extension';
