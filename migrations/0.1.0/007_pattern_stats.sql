-- Derived from feedback by the triggers on it: not dumped, rebuilt as restored feedback is loaded.
-- Sums are numeric so that they add and subtract exactly.  Each pattern's counters are split
-- over shards (a writer's backend pid mod 16), so that concurrent writers add to rows of their
-- own instead of queueing for one; query_ml.pattern_totals adds the shards up.
CREATE SEQUENCE query_ml.stats_version;
COMMENT ON SEQUENCE query_ml.stats_version IS 'numbers each change of pattern statistics, so ml_refine() knows what is new';
-- Dumped so that a restored database keeps numbering after the versions its patterns were refined at.
SELECT pg_catalog.pg_extension_config_dump('query_ml.stats_version', '');

CREATE TABLE query_ml.pattern_stats (
    pattern_id          bigint NOT NULL REFERENCES query_ml.patterns (id) ON DELETE CASCADE,
    shard               smallint NOT NULL,
    applications        bigint NOT NULL DEFAULT 0,
    successes           bigint NOT NULL DEFAULT 0,
    regressions         bigint NOT NULL DEFAULT 0,
    sum_actual          numeric NOT NULL DEFAULT 0,
    sum_estimated       numeric NOT NULL DEFAULT 0,
    sum_abs_error       numeric NOT NULL DEFAULT 0,
    sum_accuracy        numeric NOT NULL DEFAULT 0,
    within_10           bigint NOT NULL DEFAULT 0,
    sum_rating          bigint NOT NULL DEFAULT 0,
    rated               bigint NOT NULL DEFAULT 0,
    first_applied       timestamptz,
    last_applied        timestamptz,
    version             bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (pattern_id, shard),
    CONSTRAINT pattern_stats_shard_check CHECK (shard BETWEEN 0 AND 15)
);
COMMENT ON TABLE query_ml.pattern_stats IS
    'pattern statistics kept exactly in step with query_ml.feedback by its triggers, in shards; query_ml.pattern_totals adds them up';
COMMENT ON COLUMN query_ml.pattern_stats.shard IS 'the writer''s backend pid mod 16: a shard''s counts may be negative, their sums never';
COMMENT ON COLUMN query_ml.pattern_stats.version IS 'stats_version of the last change; ml_refine() handles patterns changed since its last run';

-- One pattern's change of statistics, as the feedback triggers compute it.
CREATE TYPE query_ml.stats_delta AS (
    pattern_id bigint, applications bigint, successes bigint, regressions bigint,
    sum_actual numeric, sum_estimated numeric, sum_abs_error numeric, sum_accuracy numeric, within_10 bigint,
    sum_rating bigint, rated bigint, first_applied timestamptz, last_applied timestamptz);
COMMENT ON TYPE query_ml.stats_delta IS 'the change one statement on query_ml.feedback makes to one pattern''s statistics';
