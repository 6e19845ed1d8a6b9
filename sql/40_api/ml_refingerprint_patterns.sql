CREATE OR REPLACE FUNCTION @extschema@.ml_refingerprint_patterns(force boolean DEFAULT false)
RETURNS TABLE (pattern_id bigint, old_fingerprint text, new_fingerprint text, outcome text)
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.patterns.refingerprint(plpy, force)
$python$;
COMMENT ON FUNCTION @extschema@.ml_refingerprint_patterns(boolean) IS
    'recomputes fingerprint, signature and similarity keys of the patterns stored under another parser or token scheme (all with force); reports each as updated, unchanged, conflict or unparseable';
