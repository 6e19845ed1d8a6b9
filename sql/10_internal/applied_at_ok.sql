-- When a result may say it was measured: from 2000 on, and not in the future beyond a day of
-- clock skew (the trend would show results from tomorrow, and a row dated far ahead would
-- drop out of every windowed report while it still counted).  Every path checks it: the
-- functions' arguments (query_ml.check_feedback) and plain INSERT, UPDATE and COPY (trigger
-- feedback_applied_at).
CREATE OR REPLACE FUNCTION query_ml.applied_at_ok(applied_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN applied_at >= timestamptz '2000-01-01' AND applied_at <= now() + interval '1 day';
COMMENT ON FUNCTION query_ml.applied_at_ok(timestamptz) IS 'whether a time lies between 2000-01-01 and a day from now';
