-- Suggestions gated by evidence (issue: "Suggestions a DBA can trust").  README, "Gating".
INSERT INTO query_ml.setting_definitions (name, value_type, default_value, min_value, max_value, description) VALUES
    ('score_threshold', 'number', '0.8', 0, 1,
     'a pattern is suggested when the probability that it clears success_min_improvement (its score) is at least this'),
    ('similarity_exponent', 'number', '1.2', 0, 100,
     'a similar match''s score is its pattern''s score times similarity to this power: the less similar, the higher the bar'),
    ('recency_half_life', 'number', '2', 0.5, 1000,
     'in applications: the evidence of a pattern''s k-th latest result weighs 0.5^(k / this), so a change shows within a few applications');
UPDATE query_ml.setting_definitions
   SET description = 'the calibration strength used until a type has enough patterns with feedback to learn its own: '
                     'how many applications a pattern''s own results need to outweigh its calibrated estimate'
 WHERE name = 'calibration_strength';
UPDATE query_ml.setting_definitions
   SET description = 'matches whose confidence (the original formula, shown beside the score) is below this are not suggested; 0 leaves the decision to the score'
 WHERE name = 'confidence_threshold';
UPDATE query_ml.setting_definitions SET default_value = '0' WHERE name = 'confidence_threshold';

ALTER TABLE query_ml.patterns
    ADD COLUMN typical_mean double precision,
    ADD COLUMN typical_count integer,
    ADD COLUMN typical_spread double precision,
    ADD COLUMN bounded_mean double precision,
    ADD COLUMN recent_mean double precision,
    ADD COLUMN recent_departure double precision,
    ADD COLUMN recent_weight double precision,
    ADD COLUMN recent_variance double precision,
    ADD COLUMN calibrated_sd double precision,
    ADD COLUMN recent_regression_share double precision,
    ADD COLUMN score double precision;
COMMENT ON COLUMN query_ml.patterns.typical_mean IS 'ml_refine(): a Student-t (3 d.f.) location estimate of the latest 60 results, each within -100 .. 100 (query_ml.weigh_recent)';
COMMENT ON COLUMN query_ml.patterns.typical_count IS 'ml_refine(): how many results typical_mean is of';
COMMENT ON COLUMN query_ml.patterns.typical_spread IS 'ml_refine(): the spread of one result: the median step between successive results of the latest 60, over 0.954';
COMMENT ON COLUMN query_ml.patterns.bounded_mean IS 'ml_refine(): the plain mean of the latest 60 results as measured (not bounded): what the pattern saves on average';
COMMENT ON COLUMN query_ml.patterns.recent_mean IS 'ml_refine(): the mean improvement, each result weighted by 0.5^(k / recency_half_life), k = 0 for the latest';
COMMENT ON COLUMN query_ml.patterns.recent_departure IS 'ml_refine(): the recent results'' weighted departure from typical_mean, each held within 4 scales of one result: what the change test reads';
COMMENT ON COLUMN query_ml.patterns.recent_weight IS 'ml_refine(): the sum of those weights, the evidence the recent mean carries (at most about 1.44 x recency_half_life + 1)';
COMMENT ON COLUMN query_ml.patterns.recent_variance IS 'ml_refine(): the weighted variance of the recent results around the recent mean';
COMMENT ON COLUMN query_ml.patterns.recent_regression_share IS 'ml_refine(): the weighted share of the recent results that were regressions';
COMMENT ON COLUMN query_ml.patterns.score IS 'ml_refine(): the probability that the pattern''s effect clears success_min_improvement; matching suggests by it (README, "Gating")';
COMMENT ON COLUMN query_ml.patterns.calibrated_sd IS 'ml_refine(): the standard deviation of the expected improvement (posterior of the pattern''s effect)';

ALTER TABLE query_ml.type_calibration
    ADD COLUMN intercept double precision,
    ADD COLUMN slope double precision,
    ADD COLUMN noise_sd double precision,
    ADD COLUMN effect_sd double precision,
    ADD COLUMN patterns bigint;
COMMENT ON COLUMN query_ml.type_calibration.intercept IS 'measured ~ intercept + slope x estimate, fitted over the type''s patterns (weighted by applications)';
COMMENT ON COLUMN query_ml.type_calibration.slope IS 'how much the estimates carry: 1 when they are right in scale, 0 when they say nothing';
COMMENT ON COLUMN query_ml.type_calibration.noise_sd IS 'the spread of one measurement around its pattern''s effect';
COMMENT ON COLUMN query_ml.type_calibration.effect_sd IS 'the spread of the patterns'' effects around what their estimates predict';

ALTER TABLE query_ml.refinement_runs
    ADD COLUMN estimate_error double precision,
    ADD COLUMN prediction_error double precision;
COMMENT ON COLUMN query_ml.refinement_runs.estimate_error IS 'mean absolute error of the raw estimates on the feedback new since the previous run';
COMMENT ON COLUMN query_ml.refinement_runs.prediction_error IS 'mean absolute error, on the same rows, of the expected improvement that was current before they arrived (out of sample)';

-- The latest results of a pattern's optimizations, for the recency weights: latest by when they
-- were applied, but never later than when they arrived (created_at, the server's), so that a row
-- dated ahead cannot stay "latest" over the results that come after it.
-- The result and both times are included, so that a refinement reads them from the index alone.
CREATE INDEX feedback_recent_idx ON query_ml.feedback (optimization_id, least(applied_at, created_at) DESC, id DESC)
    INCLUDE (actual_improvement, applied_at, created_at);
DROP INDEX query_ml.feedback_optimization_idx;

-- Their result columns change (the score, include_flagged): sql/ creates them again.
DROP FUNCTION IF EXISTS @extschema@.ml_match_and_suggest(text, text, integer, double precision);
DROP FUNCTION IF EXISTS query_ml.match_and_suggest(text, text, integer, double precision, text);
DROP FUNCTION IF EXISTS @extschema@.ml_match_pattern(text, text, integer, double precision);
DROP FUNCTION IF EXISTS query_ml.similar_matches(text, integer, text);
DROP VIEW IF EXISTS query_ml.pattern_matches;

-- A pattern's evidence as query_ml.weigh_recent computes it: ml_refine carries it to the type fit
-- (query_ml.calibrate_types) and then to query_ml.calibrate_patterns, which writes it with the
-- calibration, each considered pattern row once.
CREATE TYPE query_ml.pattern_evidence AS (
    pattern_id bigint,
    typical_mean double precision,
    typical_count integer,
    typical_spread double precision,
    bounded_mean double precision,
    recent_mean double precision,
    recent_departure double precision,
    recent_weight double precision,
    recent_variance double precision,
    recent_regression_share double precision
);
COMMENT ON TYPE query_ml.pattern_evidence IS
    'a pattern''s evidence from its latest results, as ml_refine() computes it before writing it to the pattern';

-- A refinement updates every considered pattern row once (query_ml.calibrate_patterns), none of
-- the indexed columns: with room on the page for a new version of each row, the updates stay HOT
-- and write no index entry (the GIN over lsh_keys among them).  A version written in the same
-- transaction cannot be pruned, so the page needs room for one more version of each of its rows:
-- half of it.  Incremental refinement at 1M feedback rows (DEVELOPERS.md): two updates per row at
-- the default fillfactor 0.315 s, at 70 0.287 s; one update at 50 0.20 s.
ALTER TABLE query_ml.patterns SET (fillfactor = 50);

-- What changed a pattern's learning without changing its counts (README, "Analysis and
-- refinement", step 2): a new optimization, an estimate changed, results that all went, a new
-- setting of learning.  A log that is only appended to, with no foreign key and no key but its
-- own, so that making a mark never waits for anyone (a pattern row another session holds, or
-- another mark of the same pattern); ml_refine() takes up every marked pattern and deletes the
-- marks it read of the patterns it wrote or that are gone.  Not dumped: a restore reloads the
-- optimizations, which marks their patterns again.
CREATE TABLE query_ml.pattern_changes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pattern_id bigint NOT NULL CHECK (pattern_id > 0)
);
COMMENT ON TABLE query_ml.pattern_changes IS
    'patterns whose learning changed without a change of their statistics, for the next ml_refine()';
COMMENT ON COLUMN query_ml.pattern_changes.pattern_id IS 'the pattern that changed (no foreign key: a mark never waits for the pattern''s row)';
