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
    success_rate        double precision GENERATED ALWAYS AS (
        CASE WHEN applications > 0 THEN successes::double precision / applications END) STORED,
    mean_improvement    double precision GENERATED ALWAYS AS (
        CASE WHEN applications > 0 THEN (sum_actual / applications)::double precision END) STORED,
    mean_estimated      double precision GENERATED ALWAYS AS (
        CASE WHEN applications > 0 THEN (sum_estimated / applications)::double precision END) STORED,
    -- The original product's score: success rate, +0.10 from 10 successes, +0.10 from a 50% mean gain.
    confidence          double precision GENERATED ALWAYS AS (
        CASE WHEN applications = 0 THEN 0 ELSE least(1.0,
            successes::double precision / applications
            + CASE WHEN successes >= 10 THEN 0.10 ELSE 0 END
            + CASE WHEN sum_actual / applications >= 50 THEN 0.10 ELSE 0 END) END) STORED,
    -- Lower bound of the 95% Wilson interval of the success rate: low until the evidence is there.
    confidence_wilson   double precision GENERATED ALWAYS AS (
        CASE WHEN applications = 0 THEN 0 ELSE
            (successes::double precision / applications + 1.9208 / applications
             - 1.96 * sqrt((successes::double precision / applications)
                           * (1 - successes::double precision / applications) / applications
                           + 0.9604 / applications ^ 2))
            / (1 + 3.8416 / applications) END) STORED,
    CONSTRAINT pattern_stats_counts_check CHECK (applications >= 0 AND successes BETWEEN 0 AND applications
        AND regressions BETWEEN 0 AND applications)
);
COMMENT ON COLUMN query_ml.pattern_stats.confidence IS 'success rate, plus 0.10 for 10 or more successes, plus 0.10 for a mean improvement of 50% or more, capped at 1';
COMMENT ON COLUMN query_ml.pattern_stats.confidence_wilson IS 'lower bound of the 95% Wilson score interval of the success rate: a better-founded score, shown beside confidence';
COMMENT ON TABLE query_ml.pattern_stats IS 'statistics per pattern, kept exactly in step with query_ml.feedback by its triggers';
