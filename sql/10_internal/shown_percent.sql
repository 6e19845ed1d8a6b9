-- How human-facing functions show an improvement, error or other figure in percent points: percent points to one decimal (README, "Reading the output").
-- Tables and views keep full precision.  A single RETURN expression: the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.shown_percent(value double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN round(value::numeric, 1)::double precision;
COMMENT ON FUNCTION query_ml.shown_percent(double precision) IS 'an improvement, error or other figure in percent points, rounded as psql output shows it: percent points to one decimal';
