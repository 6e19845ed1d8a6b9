-- The bars a match must clear (README, "Gating"), read from the settings once per call: the
-- given min_score and min_confidence, or the settings' defaults.  A set-returning SQL function
-- of one SELECT with no SET clause: inlined into its caller.
CREATE OR REPLACE FUNCTION query_ml.match_bars(min_score double precision, min_confidence double precision,
                                               include_flagged boolean)
RETURNS TABLE (score double precision, confidence double precision, improvement double precision,
               exponent double precision, flagged_too boolean)
LANGUAGE sql STABLE
BEGIN ATOMIC
    -- The settings view, not query_ml.setting(): a view is inlined, a PL/pgSQL call costs more than the lookup.
    SELECT coalesce(query_ml.checked_bar('min_score', min_score),
                    max(s.value) FILTER (WHERE s.name = 'score_threshold')::double precision),
           coalesce(query_ml.checked_bar('min_confidence', min_confidence),
                    max(s.value) FILTER (WHERE s.name = 'confidence_threshold')::double precision),
           max(s.value) FILTER (WHERE s.name = 'success_min_improvement')::double precision,
           max(s.value) FILTER (WHERE s.name = 'similarity_exponent')::double precision,
           coalesce(include_flagged, false)
      FROM query_ml.settings s
     WHERE s.name IN ('score_threshold', 'confidence_threshold', 'success_min_improvement', 'similarity_exponent');
END;
COMMENT ON FUNCTION query_ml.match_bars(double precision, double precision, boolean) IS
    'the score, confidence and expected improvement a match must reach, the similarity exponent, and whether flagged patterns are asked for';
