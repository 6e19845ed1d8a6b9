-- A fleet (README, "Fleet"): members publish what they learn, a hub subscribes to every member
-- and publishes the fleet's results back, each direction in tables of its own, since PostgreSQL
-- 15 has no origin filter and a table replicated both ways loops.  Every replicated row carries
-- the cluster it comes from, and the keys include it.

-- Who this cluster is in the fleet: no row outside one.
CREATE TABLE query_ml.fleet_identity (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    cluster_name    text NOT NULL CHECK (cluster_name ~ '^[a-z][a-z0-9_]{0,29}$'),
    kind            text NOT NULL CHECK (kind IN ('hub', 'member')),
    since           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE query_ml.fleet_identity IS 'this cluster''s name in the fleet and whether it is the hub or a member (ml_fleet_publish)';

-- The hub's members, each applied by a subscription of its own.
CREATE TABLE query_ml.fleet_members (
    name            text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,29}$'),
    subscription    name NOT NULL UNIQUE,
    added_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE query_ml.fleet_members IS 'the hub''s members (ml_fleet_add_member): a member''s rows are accepted only from its own subscription';

-- Member -> hub.  On a member, its own optimizations and feedback (query_ml keeps them from the
-- local tables); on the hub, every member's, merged into the hub's own tables by identity.
-- Only normalized text crosses: the query with its literals as parameters, the optimization's
-- template; no description, comment, rating or row counts.
CREATE TABLE query_ml.member_optimizations (
    origin                  text NOT NULL,
    id                      bigint NOT NULL,
    original_query          text NOT NULL,
    optimization_type       text NOT NULL,
    optimized_template      text NOT NULL,
    source_name             text NOT NULL,
    source_dialect          text NOT NULL,
    shared                  boolean NOT NULL,
    estimated_improvement   numeric(9, 4) NOT NULL,
    created_by              name NOT NULL,
    created_at              timestamptz NOT NULL,
    PRIMARY KEY (origin, id)
);
COMMENT ON TABLE query_ml.member_optimizations IS 'fleet: each member''s optimizations, normalized (published by members, merged on the hub)';

CREATE TABLE query_ml.member_feedback (
    origin                  text NOT NULL,
    id                      bigint NOT NULL,
    optimization_id         bigint NOT NULL,
    before_execution_ms     double precision NOT NULL,
    after_execution_ms      double precision NOT NULL,
    before_planning_ms      double precision,
    after_planning_ms       double precision,
    measured_by             text NOT NULL,
    applied_at              timestamptz NOT NULL,
    created_at              timestamptz NOT NULL,
    submitted_by            name NOT NULL,
    -- Not published: on the hub, the transaction that brought the row, so that the rows one apply
    -- transaction brings are merged together when it commits (query_ml.fleet_merge_arrivals).
    arrived_xid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (origin, id)
);
CREATE INDEX member_feedback_optimization_idx ON query_ml.member_feedback (origin, optimization_id);
CREATE INDEX member_feedback_arrived_idx ON query_ml.member_feedback (arrived_xid);
COMMENT ON TABLE query_ml.member_feedback IS 'fleet: each member''s feedback, timings only (published by members, merged on the hub)';

-- Where a merged row came from, on the hub; NULL for the hub's own rows.
ALTER TABLE query_ml.optimizations ADD COLUMN fleet_origin text, ADD COLUMN fleet_id bigint;
ALTER TABLE query_ml.feedback ADD COLUMN fleet_origin text, ADD COLUMN fleet_id bigint;
CREATE UNIQUE INDEX optimizations_fleet_key ON query_ml.optimizations (fleet_origin, fleet_id)
    WHERE fleet_origin IS NOT NULL;
CREATE UNIQUE INDEX feedback_fleet_key ON query_ml.feedback (fleet_origin, fleet_id) WHERE fleet_origin IS NOT NULL;
COMMENT ON COLUMN query_ml.optimizations.fleet_origin IS 'on a fleet''s hub: the member this optimization came from (NULL: recorded here)';
COMMENT ON COLUMN query_ml.optimizations.fleet_id IS 'on a fleet''s hub: its id on that member';
COMMENT ON COLUMN query_ml.feedback.fleet_origin IS 'on a fleet''s hub: the member this feedback came from (NULL: recorded here)';
COMMENT ON COLUMN query_ml.feedback.fleet_id IS 'on a fleet''s hub: its id on that member';

-- Rows the hub did not merge, and why (a row from another member's name, a text that does not parse).
CREATE TABLE query_ml.fleet_refusals (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    refused_at      timestamptz NOT NULL DEFAULT now(),
    member          text,
    table_name      text NOT NULL,
    origin          text,
    row_id          bigint,
    reason          text NOT NULL
);
COMMENT ON TABLE query_ml.fleet_refusals IS 'fleet, on the hub: replicated rows it did not merge, and why; replication goes on';

-- Hub -> members: the fleet's results, refreshed by the hub's ml_refine().
CREATE TABLE query_ml.fleet_patterns (
    origin                  text NOT NULL,
    pattern_id              bigint NOT NULL,
    fingerprint             text NOT NULL,
    normalized_query        text NOT NULL,
    optimization_type       text NOT NULL,
    optimized_template      text NOT NULL,
    source_name             text,
    dialect                 text NOT NULL,
    status                  text NOT NULL,
    score                   double precision,
    expected_improvement    double precision,
    confidence              double precision,
    confidence_wilson       double precision,
    applications            bigint NOT NULL,
    members                 integer NOT NULL,
    refined_at              timestamptz,
    PRIMARY KEY (origin, pattern_id)
);
CREATE INDEX fleet_patterns_fingerprint_idx ON query_ml.fleet_patterns (fingerprint);
COMMENT ON TABLE query_ml.fleet_patterns IS 'fleet: the hub''s patterns with the whole fleet''s evidence (published by the hub, read by members'' matching)';

CREATE TABLE query_ml.fleet_calibration (
    origin              text NOT NULL,
    optimization_type   text NOT NULL,
    intercept           double precision,
    slope               double precision,
    effect_sd           double precision,
    patterns            bigint,
    applications        bigint NOT NULL,
    PRIMARY KEY (origin, optimization_type)
);
COMMENT ON TABLE query_ml.fleet_calibration IS 'fleet: each optimization type''s calibration fitted on the hub over the whole fleet; a member''s type without a line of its own uses it';
