-- No SET clause, so that it is inlined into the aggregates that call it for every feedback row.
CREATE OR REPLACE FUNCTION query_ml.estimate_accuracy(actual numeric, estimated numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    -- CASE, not least(): least() would skip a NULL and call a missing value perfectly wrong.
    SELECT round(CASE WHEN e.miss > 1 THEN 0 ELSE 1 - e.miss END, 6)
      FROM (SELECT abs(actual - estimated) / greatest(abs(estimated), 1) AS miss) e;
END;
COMMENT ON FUNCTION query_ml.estimate_accuracy(numeric, numeric) IS
    'how close an estimate came: 1 - min(1, |measured - estimated| / max(|estimated|, 1)), rounded to 6 decimals; NULL when either is missing';
