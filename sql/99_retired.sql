-- Objects an update replaced, dropped once sql/ has rebound what used them.
DROP FUNCTION IF EXISTS query_ml.thresholds_retired();
-- 0.2.0's similar half of matching, which applied thresholds, order and limit a second time.
DROP FUNCTION IF EXISTS query_ml.similar_matches(text, integer, text, integer, double precision);
-- 0.3.0 counts after the bucket locks: the optimization row lock that guarded the counts is gone.
DROP TRIGGER IF EXISTS optimizations_lock ON query_ml.optimizations;
DROP FUNCTION IF EXISTS query_ml.lock_optimization();
-- 0.3.0 carries this run's evidence to the type fit and writes each pattern row once.
DROP FUNCTION IF EXISTS query_ml.calibrate_types();
DROP FUNCTION IF EXISTS query_ml.calibrate_patterns(bigint[], bigint);
