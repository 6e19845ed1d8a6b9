CREATE TABLE query_ml.refinement_runs (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at             timestamptz,
    mode                    text NOT NULL,
    status                  text NOT NULL DEFAULT 'succeeded',
    triggered_by            text NOT NULL DEFAULT 'manual',
    run_by                  name NOT NULL DEFAULT current_user,
    feedback_considered     bigint NOT NULL DEFAULT 0,
    patterns_considered     bigint NOT NULL DEFAULT 0,
    patterns_calibrated     bigint NOT NULL DEFAULT 0,
    patterns_flagged        bigint NOT NULL DEFAULT 0,
    patterns_retired        bigint NOT NULL DEFAULT 0,
    patterns_reinstated     bigint NOT NULL DEFAULT 0,
    accuracy_before         double precision,
    accuracy_after          double precision,
    feedback_watermark      bigint NOT NULL DEFAULT 0,
    version_watermark       bigint NOT NULL DEFAULT 0,
    details                 jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT refinement_runs_mode_check CHECK (mode IN ('incremental', 'full')),
    CONSTRAINT refinement_runs_status_check CHECK (status IN ('succeeded')),
    CONSTRAINT refinement_runs_triggered_by_check CHECK (triggered_by IN ('manual', 'pg_cron')),
    CONSTRAINT refinement_runs_finished_check CHECK (finished_at >= started_at)
);
CREATE INDEX refinement_runs_started_at_idx ON query_ml.refinement_runs (started_at);
COMMENT ON TABLE query_ml.refinement_runs IS 'one row per ml_refine() run: what it considered, what it changed, and the accuracy before and after';
COMMENT ON COLUMN query_ml.refinement_runs.feedback_considered IS 'feedback rows the run measured accuracy on: those new since the previous run (all of them in a full run)';
COMMENT ON COLUMN query_ml.refinement_runs.accuracy_before IS 'accuracy, on those rows, of the improvement matching expected before the run (calibrated value or raw estimate)';
COMMENT ON COLUMN query_ml.refinement_runs.accuracy_after IS 'accuracy, on the same rows, of the calibrated improvement the run computed';
COMMENT ON COLUMN query_ml.refinement_runs.feedback_watermark IS 'the highest feedback id the run saw: the next incremental run starts above it';
COMMENT ON COLUMN query_ml.refinement_runs.version_watermark IS 'stats_version when the run started';
SELECT pg_catalog.pg_extension_config_dump('query_ml.refinement_runs', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.refinement_runs_id_seq', '');

-- The estimation bias per optimization type, as the last refinement measured it.
CREATE TABLE query_ml.type_calibration (
    optimization_type   text PRIMARY KEY,
    applications        bigint NOT NULL,
    mean_error          double precision NOT NULL,
    refined_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT type_calibration_type_check CHECK (optimization_type IN ('rewrite', 'index', 'setting', 'hint', 'other'))
);
COMMENT ON TABLE query_ml.type_calibration IS 'per optimization type, the mean estimation error (estimated minus measured) ml_refine() corrects estimates by';
SELECT pg_catalog.pg_extension_config_dump('query_ml.type_calibration', '');
