-- No SET clause, so that it is inlined into the aggregates that call it for every feedback row.
CREATE OR REPLACE FUNCTION query_ml.estimate_accuracy(actual numeric, estimated numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT round(1 - least(1, abs(actual - estimated) / greatest(abs(estimated), 1)), 6);
END;
COMMENT ON FUNCTION query_ml.estimate_accuracy(numeric, numeric) IS
    'how close an estimate came: 1 - min(1, |measured - estimated| / max(|estimated|, 1)), rounded to 6 decimals';
