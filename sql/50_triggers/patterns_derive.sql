CREATE OR REPLACE TRIGGER patterns_derive
    BEFORE INSERT OR UPDATE OF normalized_query, optimized_template, optimization_type, fingerprint, parser_version,
        signature, feature_version, tokens, lsh_keys, source_id, dialect
    ON query_ml.patterns
    FOR EACH ROW EXECUTE FUNCTION query_ml.derive_row();
COMMENT ON TRIGGER patterns_derive ON query_ml.patterns IS
    'normalizes the texts, checks the optimized text against the type, computes fingerprint, signature and similarity keys';
