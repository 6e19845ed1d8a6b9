CREATE TABLE query_ml.sources (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    dialect         text NOT NULL DEFAULT 'postgresql',
    database_name   text,
    cluster_name    text,
    description     text,
    is_active       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    retired_at      timestamptz,
    CONSTRAINT sources_name_key UNIQUE (name),
    CONSTRAINT sources_name_check CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,62}$'),
    CONSTRAINT sources_dialect_check CHECK (dialect ~ '^[a-z][a-z0-9_]{0,31}$'),
    CONSTRAINT sources_description_check CHECK (length(description) <= 1000),
    CONSTRAINT sources_retired_check CHECK ((retired_at IS NULL) = is_active)
);
COMMENT ON TABLE query_ml.sources IS 'registry of the databases (and clusters and SQL dialects) that queries, optimizations and feedback come from';
COMMENT ON COLUMN query_ml.sources.dialect IS 'SQL dialect; patterns can be shared across the sources of one dialect';
COMMENT ON COLUMN query_ml.sources.is_active IS 'false once retired: a retired source keeps its history but takes no new optimizations';
SELECT pg_catalog.pg_extension_config_dump('query_ml.sources', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.sources_id_seq', '');
