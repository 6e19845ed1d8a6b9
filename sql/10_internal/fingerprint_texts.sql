CREATE OR REPLACE FUNCTION query_ml.fingerprint_texts(texts text[])
RETURNS text[]
LANGUAGE plpython3u IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.workload.fingerprints_of(plpy, texts)
$python$;
COMMENT ON FUNCTION query_ml.fingerprint_texts(text[]) IS
    'the fingerprint of each text, in order; NULL for a text that does not parse as one statement';
