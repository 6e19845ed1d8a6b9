-- Since 0.2.0.  Puts the terms of query_ml.pattern_totals, the one place the confidence is
-- computed, into words; it computes no figure of its own, and the bonuses' rules are worded
-- once, in the comments of their functions.
CREATE OR REPLACE FUNCTION @extschema@.ml_explain_confidence(pattern_id bigint)
RETURNS TABLE (term text, value double precision, explanation text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p query_ml.patterns;
    t query_ml.pattern_totals;
    threshold double precision := query_ml.setting('score_threshold')::double precision;
    success_min text := query_ml.setting('success_min_improvement');
BEGIN
    IF pattern_id IS NULL THEN
        RAISE EXCEPTION 'query_ml: pattern_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO p FROM query_ml.patterns q WHERE q.id = ml_explain_confidence.pattern_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'query_ml: pattern % does not exist', pattern_id
            USING ERRCODE = 'no_data_found', HINT = 'ml_patterns() lists the patterns.';
    END IF;
    SELECT * INTO t FROM query_ml.pattern_totals s WHERE s.pattern_id = p.id;
    RETURN QUERY VALUES
        ('success rate', query_ml.shown_fraction(coalesce(t.success_rate, 0)),
         format('%s of %s applications improved the query by at least %s%%', t.successes, t.applications, success_min)),
        ('many successes', t.many_successes,
         format('%s; this pattern has %s', obj_description('query_ml.confidence_bonus_successes(bigint)'::regprocedure, 'pg_proc'), t.successes)),
        ('large improvement', t.large_improvement,
         format('%s; this pattern''s is %s', obj_description('query_ml.confidence_bonus_improvement(bigint,numeric)'::regprocedure, 'pg_proc'),
                coalesce(query_ml.shown_percent(t.mean_improvement) || '%', 'unknown (no feedback)'))),
        ('confidence', query_ml.shown_fraction(t.confidence),
         'the sum of the terms above, at most 1: the score matching ranks by'),
        ('wilson lower bound', query_ml.shown_fraction(t.confidence_wilson),
         format('with 95%% confidence the true success rate is at least this, after %s applications; '
                'few applications keep it low', t.applications)),
        ('score', p.score,
         CASE WHEN p.score IS NULL THEN 'not weighed yet: ml_refine() scores a pattern once it has results'
              ELSE format('the probability that its effect is at least %s%% (expected %s%%, give or take %s): '
                          'what decides whether it is suggested', success_min,
                          query_ml.shown_percent(p.calibrated_improvement), query_ml.shown_percent(p.calibrated_sd)) END),
        ('threshold', threshold,
         CASE WHEN p.status <> 'active' THEN format('%s (%s): suggested only with include_flagged => true',
                                                    p.status, coalesce(p.status_reason, 'no reason given'))
              WHEN query_ml.passes_gate(p.score, t.confidence, p.calibrated_improvement, p.status, threshold,
                                        query_ml.setting('confidence_threshold')::double precision,
                                        success_min::double precision, false)
                   THEN 'score_threshold: an exact match is suggested'
              ELSE 'score_threshold: an exact match is not suggested yet' END);
END
$$;
COMMENT ON FUNCTION @extschema@.ml_explain_confidence(bigint) IS
    'how one pattern''s confidence comes about: success rate, the two bonuses, the total, its Wilson lower bound, and whether it clears confidence_threshold';
