-- A single RETURN expression with no SET clause: the planner inlines it into the aggregates
-- that call it for every feedback row (a body with FROM would be planned again on each call).
CREATE OR REPLACE FUNCTION query_ml.estimate_accuracy(actual numeric, estimated numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- CASE, not least(): least() would skip a NULL and call a missing value perfectly wrong.
RETURN round(CASE WHEN abs(actual - estimated) > greatest(abs(estimated), 1) THEN 0
                  ELSE 1 - abs(actual - estimated) / greatest(abs(estimated), 1) END, 6);
COMMENT ON FUNCTION query_ml.estimate_accuracy(numeric, numeric) IS
    'how close an estimate came: 1 - min(1, |measured - estimated| / max(|estimated|, 1)), rounded to 6 decimals; NULL when either is missing';
