CREATE OR REPLACE FUNCTION query_ml.fleet_pattern_for(original_query text, optimization_type text,
                                                      optimized_template text, source_name text, shared boolean)
RETURNS bigint
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.fleet.pattern_for(plpy, original_query, optimization_type, optimized_template, source_name, shared)
$python$;
COMMENT ON FUNCTION query_ml.fleet_pattern_for(text, text, text, text, boolean) IS
    'on a fleet''s hub: the pattern of a member''s optimization (its identity: fingerprint, scope, type, template), made when there is none';
