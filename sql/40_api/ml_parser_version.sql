CREATE OR REPLACE FUNCTION @extschema@.ml_parser_version()
RETURNS text
LANGUAGE plpython3u IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.fingerprints.parser_version(plpy)
$python$;
COMMENT ON FUNCTION @extschema@.ml_parser_version() IS
    'the parser behind ml_fingerprint(); it is stored beside every fingerprint, and a change means re-fingerprinting';
