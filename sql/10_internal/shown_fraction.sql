-- How human-facing functions show a rate, share, confidence, accuracy or similarity between 0 and 1, or a duration in seconds: three decimals (README, "Reading the output").
-- Tables and views keep full precision.  A single RETURN expression: the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.shown_fraction(value double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN round(value::numeric, 3)::double precision;
COMMENT ON FUNCTION query_ml.shown_fraction(double precision) IS 'a rate, share, confidence, accuracy or similarity between 0 and 1, or a duration in seconds, rounded as psql output shows it: three decimals';
