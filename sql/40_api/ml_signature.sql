CREATE OR REPLACE FUNCTION @extschema@.ml_signature(sql text)
RETURNS text
LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.signatures.signature(plpy, sql)
$python$;
COMMENT ON FUNCTION @extschema@.ml_signature(text) IS
    'a short readable shape of the statement, such as SELECT_INNER_JOIN_?, for display';
