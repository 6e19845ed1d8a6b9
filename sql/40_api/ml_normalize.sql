CREATE OR REPLACE FUNCTION @extschema@.ml_normalize(sql text)
RETURNS text
LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.fingerprints.normalize(plpy, sql)
$python$;
COMMENT ON FUNCTION @extschema@.ml_normalize(text) IS
    'the statement with every literal replaced by $n and comments removed (optimizer hints kept): the only form query_ml stores';
