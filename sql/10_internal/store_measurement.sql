-- SECURITY DEFINER: ml_track runs with its caller's rights, who may not write measured_by.
-- It only stores what ml_track measured in this session: the nonce names a measurement held
-- in the backend's memory for the moment between measuring and storing.
CREATE OR REPLACE FUNCTION query_ml.store_measurement(nonce text)
RETURNS bigint
LANGUAGE plpython3u SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.tracking.store_pending(plpy, nonce)
$python$;
COMMENT ON FUNCTION query_ml.store_measurement(text) IS
    'stores, as feedback measured by ml_track, the measurement that ml_track just made in this session; nothing else';
