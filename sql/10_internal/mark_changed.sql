-- Records that some patterns changed without a change of their counts (query_ml.pattern_changes),
-- for the next ml_refine(), which takes up every marked pattern and then deletes the marks it
-- read.  An insert into a log with no other key: it waits for no one (a mark updated in place
-- held its row to the end of the transaction, and a transaction that recorded an optimization
-- and then wrote feedback deadlocked with a TRUNCATE marking the same pattern; nor is a bucket
-- taken, which ranked before the feedback table lock: red team, round 9).
CREATE OR REPLACE FUNCTION query_ml.mark_changed(pattern_ids bigint[])
RETURNS void
LANGUAGE sql VOLATILE
BEGIN ATOMIC
    INSERT INTO query_ml.pattern_changes (pattern_id)
    SELECT DISTINCT i.id FROM unnest(pattern_ids) AS i (id) WHERE i.id IS NOT NULL;
END;
COMMENT ON FUNCTION query_ml.mark_changed(bigint[]) IS
    'records that some patterns changed without a change of their statistics, for the next ml_refine()';
