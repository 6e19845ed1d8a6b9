-- The workload: pg_stat_statements read for opportunities, captured for verification in
-- production (README, "Workload").  No text of pg_stat_statements is kept: only fingerprints
-- and query_ml's own normalized text, which holds no literal.
INSERT INTO query_ml.setting_definitions (name, value_type, default_value, min_value, max_value, description) VALUES
    ('workload_retention_days', 'integer', '30', 1, 36500,
     'ml_capture_workload() deletes captures older than this many days'),
    ('verify_min_calls', 'integer', '100', 1, 1000000000,
     'a change marked as applied in production is verified once the captured workload holds this many calls of its query on each side of the change'),
    ('verify_window_hours', 'number', '168', 0.01, 87600,
     'verification compares the captured calls of this many hours before a production change with those of as many hours after it');

-- The fingerprint of each statement seen in pg_stat_statements, so that a repeated scan parses
-- only new statements.  No text is kept.
CREATE TABLE query_ml.workload_statements (
    queryid         bigint PRIMARY KEY,
    fingerprint     text,
    first_seen      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE query_ml.workload_statements IS 'the fingerprint of each pg_stat_statements queryid, parsed once from the text pg_stat_statements holds (NULL when it does not parse)';

CREATE TABLE query_ml.workload_captures (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    captured_at     timestamptz NOT NULL DEFAULT now(),
    stats_reset     timestamptz,
    deallocations   bigint,
    statements      integer NOT NULL,
    calls           bigint NOT NULL
);
COMMENT ON TABLE query_ml.workload_captures IS 'one row per ml_capture_workload(): when, what pg_stat_statements_info said, and how many statements and calls it took';

-- The counters of each pg_stat_statements entry at the last capture: deltas are taken against them.
CREATE TABLE query_ml.workload_counters (
    userid          oid NOT NULL,
    queryid         bigint NOT NULL,
    toplevel        boolean NOT NULL,
    calls           bigint NOT NULL,
    total_exec_ms   double precision NOT NULL,
    rows            bigint NOT NULL,
    shared_blks_hit bigint NOT NULL,
    shared_blks_read bigint NOT NULL,
    PRIMARY KEY (userid, queryid, toplevel)
);
COMMENT ON TABLE query_ml.workload_counters IS 'each pg_stat_statements entry''s counters as the last capture read them';

CREATE TABLE query_ml.workload_snapshots (
    capture_id          bigint NOT NULL REFERENCES query_ml.workload_captures (id) ON DELETE CASCADE,
    queryid             bigint NOT NULL,
    fingerprint         text,
    since               timestamptz NOT NULL,
    calls               bigint NOT NULL,
    total_exec_ms       double precision NOT NULL,
    mean_exec_ms        double precision GENERATED ALWAYS AS (total_exec_ms / nullif(calls, 0)) STORED,
    rows                bigint NOT NULL,
    shared_blks_hit     bigint NOT NULL,
    shared_blks_read    bigint NOT NULL,
    calls_delta         bigint NOT NULL CHECK (calls_delta >= 0),
    total_exec_ms_delta double precision NOT NULL CHECK (total_exec_ms_delta >= 0),
    rows_delta          bigint NOT NULL CHECK (rows_delta >= 0),
    shared_blks_hit_delta  bigint NOT NULL CHECK (shared_blks_hit_delta >= 0),
    shared_blks_read_delta bigint NOT NULL CHECK (shared_blks_read_delta >= 0),
    PRIMARY KEY (capture_id, queryid)
);
CREATE INDEX workload_snapshots_fingerprint_idx ON query_ml.workload_snapshots (fingerprint, capture_id);
COMMENT ON TABLE query_ml.workload_snapshots IS 'per capture and queryid (all users summed): the counters, and what was added since the previous capture (the *_delta columns, never negative), over the interval from since to the capture';

CREATE TABLE query_ml.production_changes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    optimization_id bigint NOT NULL UNIQUE REFERENCES query_ml.optimizations (id) ON DELETE CASCADE,
    applied_at      timestamptz NOT NULL,
    marked_by       name NOT NULL DEFAULT current_user,
    marked_at       timestamptz NOT NULL DEFAULT now(),
    verified_at     timestamptz,
    feedback_id     bigint      -- no foreign key: feedback stays free to TRUNCATE; the row may be deleted since
);
COMMENT ON TABLE query_ml.production_changes IS 'optimizations applied in production (ml_mark_applied), and the feedback their verification against the captured workload stored';

SELECT pg_catalog.pg_extension_config_dump('query_ml.workload_captures', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.workload_counters', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.workload_snapshots', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.production_changes', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.production_changes_id_seq', '');

ALTER TABLE query_ml.feedback DROP CONSTRAINT feedback_measured_by_check,
    ADD CONSTRAINT feedback_measured_by_check CHECK (measured_by IN ('manual', 'ml_track', 'import', 'pg_stat_statements'));
SELECT pg_catalog.pg_extension_config_dump('query_ml.workload_captures_id_seq', '');
