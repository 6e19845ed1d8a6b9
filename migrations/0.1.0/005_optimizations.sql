CREATE TABLE query_ml.optimizations (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pattern_id              bigint NOT NULL REFERENCES query_ml.patterns (id) ON DELETE CASCADE,
    source_id               integer NOT NULL REFERENCES query_ml.sources (id),
    original_query          text NOT NULL,
    estimated_improvement   numeric(9, 4) NOT NULL,
    description             text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    created_by              name NOT NULL DEFAULT current_user,
    CONSTRAINT optimizations_estimate_check CHECK (estimated_improvement BETWEEN -1000 AND 100),
    CONSTRAINT optimizations_original_query_check CHECK (original_query <> ''),
    CONSTRAINT optimizations_description_check CHECK (length(description) <= 2000)
);
CREATE INDEX optimizations_pattern_idx ON query_ml.optimizations (pattern_id);
CREATE INDEX optimizations_source_idx ON query_ml.optimizations (source_id);
COMMENT ON TABLE query_ml.optimizations IS 'one optimization a DBA applied to a query from a source, with the improvement they expected';
COMMENT ON COLUMN query_ml.optimizations.original_query IS 'the original query, normalized: literals replaced by $n';
COMMENT ON COLUMN query_ml.optimizations.estimated_improvement IS 'expected reduction of the query time, in percent (100 = instant, negative = slower)';
SELECT pg_catalog.pg_extension_config_dump('query_ml.optimizations', '');
SELECT pg_catalog.pg_extension_config_dump('query_ml.optimizations_id_seq', '');
