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
    CONSTRAINT patterns_description_check CHECK (length(description) <= 2000)
);
-- One pattern per fingerprint, scope and optimization; md5 keeps the key small.
CREATE UNIQUE INDEX patterns_identity_key ON query_ml.patterns
    (fingerprint, dialect, source_id, optimization_type, md5(optimized_template)) NULLS NOT DISTINCT;
CREATE INDEX patterns_source_idx ON query_ml.patterns (source_id);
COMMENT ON TABLE query_ml.patterns IS 'what query_ml learned: a query shape (fingerprint) with one optimization for it';
COMMENT ON COLUMN query_ml.patterns.parser_version IS 'the parser that computed fingerprint; fingerprints change between pglast major versions';
COMMENT ON COLUMN query_ml.patterns.normalized_query IS 'the query with every literal replaced by $n; literals are never stored';
COMMENT ON COLUMN query_ml.patterns.optimized_template IS 'the optimized query (normalized) for a rewrite, or the DDL or setting template otherwise';
COMMENT ON COLUMN query_ml.patterns.source_id IS 'the source the pattern is scoped to; NULL shares it with every source of its dialect';
COMMENT ON COLUMN query_ml.patterns.status IS 'active, flagged (made queries slower) or retired (no longer suggested)';
SELECT pg_catalog.pg_extension_config_dump('query_ml.patterns', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.patterns_id_seq', '');
