CREATE OR REPLACE FUNCTION @extschema@.ml_record_optimization(
    original_query text, optimized text, optimization_type text, estimated_improvement double precision,
    source text DEFAULT NULL, description text DEFAULT NULL, shared boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.optimizations.record(plpy, original_query, optimized, optimization_type, estimated_improvement, source, description, shared)
$python$;
COMMENT ON FUNCTION @extschema@.ml_record_optimization(text, text, text, double precision, text, text, boolean) IS
    'records an optimization applied to a query (rewrite, index, setting, hint, other) with its estimated improvement in percent and its source; links it to its pattern, made when there is none; only normalized text is kept; returns the optimization id';
