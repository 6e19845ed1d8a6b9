CREATE OR REPLACE FUNCTION @extschema@.ml_fingerprint(sql text)
RETURNS text
LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.fingerprints.fingerprint(plpy, sql)
$python$;
COMMENT ON FUNCTION @extschema@.ml_fingerprint(text) IS
    'pglast fingerprint of one SQL statement: equal for queries that differ only in literals (parser: ml_parser_version())';
