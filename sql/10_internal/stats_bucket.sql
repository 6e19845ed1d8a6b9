-- A pattern's statistics bucket is a hash of its fingerprint, so an optimization moved to
-- another pattern of its fingerprint stays in its bucket.  A single RETURN expression with no
-- SET clause: the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.stats_bucket(fingerprint text)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN hashtext(fingerprint) & 63;
COMMENT ON FUNCTION query_ml.stats_bucket(text) IS 'the lock bucket (0 to 63) of the statistics of the patterns of one fingerprint';
