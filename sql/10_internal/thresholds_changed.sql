CREATE OR REPLACE FUNCTION query_ml.thresholds_changed()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END)
       IN ('success_min_improvement', 'regression_threshold') THEN
        -- recompute_pattern_stats(NULL) holds every pattern: writers counting with the old threshold
        -- commit first, and writers that wait for it count with the new one.
        PERFORM query_ml.recompute_pattern_stats(NULL);
    ELSIF (CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END)
          IN ('recency_half_life', 'calibration_strength', 'retire_min_applications', 'retire_below_improvement',
              'flag_regression_share') THEN
        -- What refinement reads changed for every pattern: the next ml_refine() redoes them all.
        PERFORM query_ml.mark_changed(ARRAY(SELECT p.id FROM query_ml.patterns p));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.thresholds_changed() IS
    'trigger: a new success or regression threshold recounts the successes and regressions of every pattern; a new setting of learning (recency, calibration strength, the status rule) marks every pattern for the next ml_refine()';
