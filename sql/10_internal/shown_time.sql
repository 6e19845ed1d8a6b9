-- How human-facing functions show a point in time: to the second (README, "Reading the output").
-- Tables and views keep full precision.  A single RETURN expression: the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.shown_time(value timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
RETURN date_trunc('second', value);
COMMENT ON FUNCTION query_ml.shown_time(timestamptz) IS 'a point in time, as psql output shows it: to the second';
