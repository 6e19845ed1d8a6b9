-- The shard of a pattern's counters this session writes to (query_ml.pattern_stats): its backend
-- pid mod 16, so that concurrent writers add to rows of their own instead of queueing for one.
CREATE OR REPLACE FUNCTION query_ml.writer_shard()
RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE
RETURN pg_backend_pid() % 16;
COMMENT ON FUNCTION query_ml.writer_shard() IS
    'the shard of the pattern statistics this session writes to: its backend pid mod 16';
