CREATE TABLE query_ml.patterns (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fingerprint         text NOT NULL,
    parser_version      text NOT NULL,
    normalized_query    text NOT NULL,
    signature           text NOT NULL,
    optimization_type   text NOT NULL,
    optimized_template  text NOT NULL,
    description         text,
    source_id           integer REFERENCES query_ml.sources (id),
    dialect             text NOT NULL DEFAULT 'postgresql',
    feature_version     smallint NOT NULL,
    tokens              integer[] NOT NULL,
    lsh_keys            integer[] NOT NULL,
    calibrated_improvement double precision,
    refined_version     bigint,
    status              text NOT NULL DEFAULT 'active',
    status_reason       text,
    status_changed_at   timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    created_by          name NOT NULL DEFAULT current_user,
    CONSTRAINT patterns_fingerprint_check CHECK (fingerprint ~ '^[0-9a-f]{16}$'),
    CONSTRAINT patterns_type_check CHECK (optimization_type IN ('rewrite', 'index', 'setting', 'hint', 'other')),
    CONSTRAINT patterns_status_check CHECK (status IN ('active', 'flagged', 'retired')),
    CONSTRAINT patterns_normalized_query_check CHECK (normalized_query <> ''),
    CONSTRAINT patterns_template_check CHECK (optimized_template <> ''),
    CONSTRAINT patterns_description_check CHECK (length(description) <= 2000),
    CONSTRAINT patterns_shared_check CHECK (source_id IS NOT NULL OR dialect IS NOT NULL)
);
-- One pattern per fingerprint, scope and optimization; md5 keeps the key small.
CREATE UNIQUE INDEX patterns_identity_key ON query_ml.patterns
    (fingerprint, dialect, source_id, optimization_type, md5(optimized_template)) NULLS NOT DISTINCT;
CREATE INDEX patterns_source_idx ON query_ml.patterns (source_id);
-- Similarity search reads candidates from here instead of scanning every pattern; no pending
-- list (fastupdate), which every search would have to scan: patterns are read far more than written.
CREATE INDEX patterns_lsh_keys_idx ON query_ml.patterns USING gin (lsh_keys) WITH (fastupdate = off);
COMMENT ON TABLE query_ml.patterns IS 'what query_ml learned: a query shape (fingerprint) with one optimization for it';
COMMENT ON COLUMN query_ml.patterns.parser_version IS 'the parser that computed fingerprint; fingerprints change between pglast major versions';
COMMENT ON COLUMN query_ml.patterns.normalized_query IS 'the query with every literal replaced by $n; literals are never stored';
COMMENT ON COLUMN query_ml.patterns.optimized_template IS 'the optimized query (normalized) for a rewrite, or the DDL or setting template otherwise';
COMMENT ON COLUMN query_ml.patterns.source_id IS 'the source the pattern is scoped to; NULL shares it with every source of its dialect';
COMMENT ON COLUMN query_ml.patterns.tokens IS 'structural tokens of the query (tables, join keys, predicate kinds, ...) as hashes; similarity is their weighted Jaccard index';
COMMENT ON COLUMN query_ml.patterns.lsh_keys IS 'MinHash band keys and the table-set key: patterns sharing one are similarity candidates';
COMMENT ON COLUMN query_ml.patterns.feature_version IS 'version of the token scheme behind tokens and lsh_keys';
COMMENT ON COLUMN query_ml.patterns.calibrated_improvement IS 'expected improvement in percent, corrected for the measured estimation bias by ml_refine()';
COMMENT ON COLUMN query_ml.patterns.refined_version IS 'stats_version of the statistics ml_refine() last calibrated this pattern from';
COMMENT ON COLUMN query_ml.patterns.status_reason IS 'why the status was set: by ml_refine() with its figures, or manual: by ml_set_pattern_status()';
COMMENT ON COLUMN query_ml.patterns.status IS 'active, flagged (made queries slower) or retired (no longer suggested)';
SELECT pg_catalog.pg_extension_config_dump('query_ml.patterns', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.patterns_id_seq', '');
