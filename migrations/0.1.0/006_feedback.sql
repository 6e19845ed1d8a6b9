CREATE TABLE query_ml.feedback (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    optimization_id         bigint NOT NULL REFERENCES query_ml.optimizations (id) ON DELETE CASCADE,
    before_execution_ms     double precision NOT NULL,
    after_execution_ms      double precision NOT NULL,
    before_planning_ms      double precision,
    after_planning_ms       double precision,
    before_rows             bigint,
    after_rows              bigint,
    before_shared_hit       bigint,
    before_shared_read      bigint,
    after_shared_hit        bigint,
    after_shared_read       bigint,
    runs                    integer,
    rating                  smallint,
    comment                 text,
    measured_by             text NOT NULL DEFAULT 'manual',
    applied_at              timestamptz NOT NULL DEFAULT now(),
    created_at              timestamptz NOT NULL DEFAULT now(),
    submitted_by            name NOT NULL DEFAULT current_user,
    -- The time the query saves, in percent of its time before (planning included when both sides
    -- have it).  numeric, so that the statistics sum it exactly.
    actual_improvement      numeric GENERATED ALWAYS AS (round((
        100.0 * ((before_execution_ms + coalesce(before_planning_ms, 0))
                 - (after_execution_ms + coalesce(after_planning_ms, 0)))
              / (before_execution_ms + coalesce(before_planning_ms, 0)))::numeric, 4)) STORED,
    CONSTRAINT feedback_before_check CHECK (before_execution_ms > 0 AND before_execution_ms <= 86400000),
    CONSTRAINT feedback_after_check CHECK (after_execution_ms >= 0 AND after_execution_ms <= 86400000),
    CONSTRAINT feedback_planning_check CHECK ((before_planning_ms IS NULL) = (after_planning_ms IS NULL)
        AND before_planning_ms >= 0 AND after_planning_ms >= 0
        AND before_planning_ms <= 86400000 AND after_planning_ms <= 86400000),
    CONSTRAINT feedback_rows_check CHECK (before_rows >= 0 AND after_rows >= 0),
    CONSTRAINT feedback_buffers_check CHECK (before_shared_hit >= 0 AND before_shared_read >= 0
        AND after_shared_hit >= 0 AND after_shared_read >= 0),
    CONSTRAINT feedback_runs_check CHECK (runs BETWEEN 1 AND 1000),
    CONSTRAINT feedback_rating_check CHECK (rating BETWEEN 1 AND 5),
    CONSTRAINT feedback_comment_check CHECK (length(comment) <= 2000),
    CONSTRAINT feedback_measured_by_check CHECK (measured_by IN ('manual', 'ml_track', 'import'))
);
CREATE INDEX feedback_optimization_idx ON query_ml.feedback (optimization_id);
CREATE INDEX feedback_applied_at_idx ON query_ml.feedback (applied_at);
COMMENT ON TABLE query_ml.feedback IS 'measured results of optimizations: before and after metrics, rating and comment';
COMMENT ON COLUMN query_ml.feedback.actual_improvement IS 'time saved in percent of the time before; negative when the query got slower';
COMMENT ON COLUMN query_ml.feedback.measured_by IS 'manual (submitted), ml_track (measured inside the database) or import (bulk load)';
COMMENT ON COLUMN query_ml.feedback.applied_at IS 'when the optimization was measured; drives the accuracy trend';
SELECT pg_catalog.pg_extension_config_dump('query_ml.feedback', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.feedback_id_seq', '');
