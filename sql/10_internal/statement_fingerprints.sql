-- The fingerprints of some pg_stat_statements queryids, each parsed once (query_ml.workload_statements):
-- a repeated scan parses only the statements it has not seen.  SECURITY DEFINER: every caller
-- shares the cache, which no reader may read, and the texts parsed are the ones pg_stat_statements
-- holds, read here, never a caller's, so that no caller can make a queryid stand for another
-- statement.  What it returns is a fingerprint: no text.  A utility statement that holds a value
-- is neither kept nor returned: pg_stat_statements hashes its text, values included, into its
-- queryid (query_ml.workload.fingerprints_of).
CREATE OR REPLACE FUNCTION query_ml.statement_fingerprints(queryids bigint[])
RETURNS TABLE (queryid bigint, fingerprint text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_nestloop = off
AS $$
DECLARE
    missing bigint[];
BEGIN
    -- One hash join over the cache (a lookup per queryid costs as much as the scan it saves).
    missing := ARRAY(SELECT DISTINCT u.q FROM unnest(queryids) AS u (q)
                       LEFT JOIN query_ml.workload_statements c ON c.queryid = u.q
                      WHERE u.q IS NOT NULL AND c.queryid IS NULL);
    IF cardinality(missing) > 0 THEN
        EXECUTE format($sql$
            WITH texts AS MATERIALIZED (
                -- Users may spell one queryid differently (aliases): the most called spelling.
                SELECT t.queryid, t.query, row_number() OVER (ORDER BY t.queryid) AS i
                  FROM (SELECT DISTINCT ON (s.queryid) s.queryid, s.query
                          FROM %s.pg_stat_statements s
                         WHERE s.queryid = ANY ($1)
                         ORDER BY s.queryid, s.calls DESC, s.userid) t
            )
            INSERT INTO query_ml.workload_statements (queryid, fingerprint)
            SELECT t.queryid, f.fingerprint
              FROM texts t
              JOIN unnest(query_ml.fingerprint_texts((SELECT array_agg(x.query ORDER BY x.i) FROM texts x)))
                   WITH ORDINALITY AS f (fingerprint, i) ON f.i = t.i
             WHERE f.fingerprint IS DISTINCT FROM ''      -- a utility statement holding a value: nothing kept
            ON CONFLICT DO NOTHING
        $sql$, query_ml.stat_statements()) USING missing;
    END IF;
    RETURN QUERY SELECT c.queryid, c.fingerprint
                   FROM unnest(queryids) AS u (q) JOIN query_ml.workload_statements c ON c.queryid = u.q;
END
$$;
COMMENT ON FUNCTION query_ml.statement_fingerprints(bigint[]) IS
    'the fingerprint of each pg_stat_statements queryid, parsing (from pg_stat_statements'' own text) only the ones not seen before; NULL for a text that does not parse';
