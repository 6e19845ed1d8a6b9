-- An SQL function with no SET clause, so that the planner inlines it into the caller's
-- statement: an exact match then costs one index lookup beyond the fingerprint.  Its body
-- (BEGIN ATOMIC) was bound to its objects at creation, so the caller's search_path cannot
-- redirect it.  Similar patterns are looked for (query_ml.similar_matches) only when no exact
-- match passes the gate.  The gate, the order and the limit are here, once (README, "Gating"):
-- a match is suggested when its score (a similar one's scaled by similarity^similarity_exponent)
-- reaches min_score, its confidence reaches min_confidence, its expected improvement reaches
-- success_min_improvement, and its pattern is active (flagged and retired too with include_flagged).
-- On a fleet member, exact matches include the fleet's patterns (evidence 'fleet', README "Fleet").
CREATE OR REPLACE FUNCTION @extschema@.ml_match_pattern(
    sql text, source text DEFAULT NULL, row_limit integer DEFAULT 5, min_confidence double precision DEFAULT NULL,
    include_flagged boolean DEFAULT false, min_score double precision DEFAULT NULL)
RETURNS TABLE (pattern_id bigint, match_kind text, similarity double precision, score double precision,
               confidence double precision, confidence_wilson double precision, expected_improvement double precision,
               optimization_type text, suggestion text, applications bigint, status text, evidence text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH scope AS MATERIALIZED (
        SELECT f.id, f.dialect FROM query_ml.find_source(source) f WHERE source IS NOT NULL
    ), gate AS MATERIALIZED (
        SELECT * FROM query_ml.match_bars(min_score, min_confidence, include_flagged)
    ), fingerprint AS MATERIALIZED (
        -- The scope is read with the fingerprint, which is always computed: an unknown source is an error
        -- even when no pattern has this fingerprint.
        SELECT @extschema@.ml_fingerprint(sql) AS value WHERE source IS NULL OR EXISTS (SELECT FROM scope)
    ), here AS (
        SELECT m.* FROM query_ml.pattern_matches m
         WHERE m.fingerprint = (SELECT f.value FROM fingerprint f)
           -- "source IS NULL" first: the planner folds it, where the sub-selects would run per row.
           AND (source IS NULL
                OR query_ml.in_scope(m.source_id, m.dialect, (SELECT c.id FROM scope c), (SELECT c.dialect FROM scope c)))
    ), fleet AS (
        -- On a fleet member: the hub's patterns of this fingerprint, with every member's evidence.
        SELECT m.* FROM query_ml.fleet_matches m
         WHERE m.fingerprint = (SELECT f.value FROM fingerprint f)
           AND (source IS NULL OR query_ml.in_fleet_scope(m.source_name, m.dialect, source, (SELECT c.dialect FROM scope c)))
    ), exact AS (
        -- A pattern known here and to the fleet is shown once, from the evidence of more results: the
        -- fleet's includes this cluster's, as far as the hub has them.
        SELECT l.pattern_id, l.score, l.confidence, l.confidence_wilson, l.expected_improvement, l.optimization_type,
               l.suggestion, l.applications, l.status, 'local' AS evidence
          FROM here l
         WHERE NOT EXISTS (SELECT FROM fleet f WHERE f.local_pattern_id = l.pattern_id AND f.applications > l.applications)
        UNION ALL
        SELECT f.local_pattern_id, f.score, f.confidence, f.confidence_wilson, f.expected_improvement,
               f.optimization_type, f.suggestion, f.applications, f.status, 'fleet'
          FROM fleet f
         WHERE NOT EXISTS (SELECT FROM here l WHERE l.pattern_id = f.local_pattern_id AND l.applications >= f.applications)
    ), matches AS (
        SELECT e.pattern_id, 'exact' AS match_kind, 1.0::double precision AS similarity, e.score, e.confidence,
               e.confidence_wilson, e.expected_improvement, e.optimization_type, e.suggestion, e.applications,
               e.status, e.evidence
          FROM exact e
        UNION ALL
        SELECT r.pattern_id, 'similar', r.similarity, r.score * r.similarity ^ (SELECT g.exponent FROM gate g),
               r.confidence * r.similarity, r.confidence_wilson * r.similarity, r.expected_improvement,
               r.optimization_type, r.suggestion, r.applications, r.status, 'local'
          FROM query_ml.similar_matches(sql, (SELECT c.id FROM scope c), (SELECT c.dialect FROM scope c)) r
         WHERE NOT EXISTS (SELECT FROM exact e, gate g
                            WHERE query_ml.passes_gate(e.score, e.confidence, e.expected_improvement, e.status,
                                                       g.score, g.confidence, g.improvement, g.flagged_too))
    )
    SELECT m.pattern_id, m.match_kind, query_ml.shown_fraction(m.similarity), query_ml.shown_fraction(m.score),
           query_ml.shown_fraction(m.confidence), query_ml.shown_fraction(m.confidence_wilson),
           query_ml.shown_percent(m.expected_improvement), m.optimization_type, m.suggestion, m.applications, m.status,
           m.evidence
      FROM matches m, gate g
     WHERE query_ml.passes_gate(m.score, m.confidence, m.expected_improvement, m.status,
                                g.score, g.confidence, g.improvement, g.flagged_too)
     ORDER BY m.score DESC, m.similarity DESC, m.expected_improvement DESC, m.pattern_id
     LIMIT query_ml.checked_limit(row_limit);
END;
COMMENT ON FUNCTION @extschema@.ml_match_pattern(text, text, integer, double precision, boolean, double precision) IS
    'patterns that fit a query, gated by evidence: exact fingerprint matches first, the most similar patterns when none passes; a match is suggested when its score (similar: times similarity^similarity_exponent) reaches min_score (default score_threshold), its confidence min_confidence (default confidence_threshold), its expected improvement success_min_improvement, and its pattern is active (flagged and retired too with include_flagged)';
