-- What one result, or one pattern's mean, weighs in learning: the measured improvement within
-- -100% (twice as slow) and 100%.  A result far below that says no more than "harmful", and
-- unbounded it would let one writer's extreme rows move a type's calibration, its noise and so
-- every other pattern of the type (README, "Gating").  The exact statistics keep the raw values.
CREATE OR REPLACE FUNCTION query_ml.learning_value(improvement double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN least(100, greatest(-100, improvement));
COMMENT ON FUNCTION query_ml.learning_value(double precision) IS
    'a measured improvement as learning weighs it: bounded to -100 .. 100 percent';
