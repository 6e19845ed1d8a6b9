CREATE OR REPLACE FUNCTION @extschema@.ml_store_pattern(original_query text, optimization_type text, optimized text, description text DEFAULT NULL,
    source text DEFAULT NULL, shared boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
qml.errors.require(plpy, original_query=original_query, optimization_type=optimization_type, optimized=optimized)
return qml.patterns.store(plpy, original_query, optimization_type, optimized, description, source, shared)
$python$;
COMMENT ON FUNCTION @extschema@.ml_store_pattern(text, text, text, text, text, boolean) IS
    'stores what was learned for a query: its pattern (fingerprint, normalized text, signature) with one optimization (rewrite, index, setting, hint, other); literals become parameters; returns the pattern id, the existing one for the same fingerprint, scope and optimization';
