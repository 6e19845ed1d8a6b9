-- No SET clause: it reads the caller's search_path, under which the caller's queries are
-- written, and hands it to query_ml.track.  Its BEGIN ATOMIC body was bound at creation.
CREATE OR REPLACE FUNCTION @extschema@.ml_track(
    optimization_id bigint, runs integer DEFAULT NULL, sql text DEFAULT NULL, timeout_ms integer DEFAULT NULL,
    optimized text DEFAULT NULL)
RETURNS SETOF query_ml.feedback_details
LANGUAGE sql VOLATILE
BEGIN ATOMIC
    SELECT * FROM query_ml.track(optimization_id, runs, sql, timeout_ms, pg_catalog.current_setting('search_path'),
                                 optimized);
END;
COMMENT ON FUNCTION @extschema@.ml_track(bigint, integer, text, integer, text) IS
    'measures an optimization inside the database: EXPLAIN (ANALYZE, BUFFERS) of the original and the optimized query (an index or setting applied only inside), a warm-up then runs times each (default: track_runs), read-only, always rolled back, each run limited to timeout_ms (default: track_timeout_ms), with your privileges and search_path; runs stored SQL only for the role that stored it, otherwise the sql and optimized you pass; stores the medians as feedback and returns it';
