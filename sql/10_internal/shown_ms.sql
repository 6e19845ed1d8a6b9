-- How human-facing functions show a duration in milliseconds: three decimals (microseconds) (README, "Reading the output").
-- Tables and views keep full precision.  A single RETURN expression: the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.shown_ms(value double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN round(value::numeric, 3)::double precision;
COMMENT ON FUNCTION query_ml.shown_ms(double precision) IS 'a duration in milliseconds, rounded as psql output shows it: three decimals (microseconds)';
