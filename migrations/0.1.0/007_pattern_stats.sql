-- Derived from feedback by the triggers on it; not dumped, rebuilt when feedback is restored.
CREATE TABLE query_ml.pattern_stats (
    pattern_id          bigint PRIMARY KEY REFERENCES query_ml.patterns (id) ON DELETE CASCADE,
    applications        bigint NOT NULL DEFAULT 0,
    successes           bigint NOT NULL DEFAULT 0,
    regressions         bigint NOT NULL DEFAULT 0,
    sum_actual          numeric NOT NULL DEFAULT 0,
    sum_estimated       numeric NOT NULL DEFAULT 0,
    sum_abs_error       numeric NOT NULL DEFAULT 0,
    first_applied       timestamptz,
    last_applied        timestamptz,
    CONSTRAINT pattern_stats_counts_check CHECK (applications >= 0 AND successes BETWEEN 0 AND applications
        AND regressions BETWEEN 0 AND applications)
);
COMMENT ON TABLE query_ml.pattern_stats IS 'statistics per pattern, kept exactly in step with query_ml.feedback by its triggers';
