CREATE TABLE query_ml.refinement_runs (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at             timestamptz,
    mode                    text NOT NULL,
    status                  text NOT NULL,
    triggered_by            text NOT NULL DEFAULT 'manual',
    run_by                  name NOT NULL DEFAULT current_user,
    feedback_considered     bigint NOT NULL DEFAULT 0,
    patterns_considered     bigint NOT NULL DEFAULT 0,
    patterns_flagged        bigint NOT NULL DEFAULT 0,
    patterns_retired        bigint NOT NULL DEFAULT 0,
    accuracy_before         double precision,
    accuracy_after          double precision,
    details                 jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT refinement_runs_mode_check CHECK (mode IN ('incremental', 'full')),
    CONSTRAINT refinement_runs_status_check CHECK (status IN ('succeeded', 'skipped')),
    CONSTRAINT refinement_runs_triggered_by_check CHECK (triggered_by IN ('manual', 'pg_cron')),
    CONSTRAINT refinement_runs_finished_check CHECK (finished_at >= started_at)
);
CREATE INDEX refinement_runs_started_at_idx ON query_ml.refinement_runs (started_at);
COMMENT ON TABLE query_ml.refinement_runs IS 'one row per ml_refine() run: what it considered and the accuracy before and after';
SELECT pg_catalog.pg_extension_config_dump('query_ml.refinement_runs', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.refinement_runs_id_seq', '');
