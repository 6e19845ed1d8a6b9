CREATE OR REPLACE FUNCTION query_ml.derive_row()
RETURNS trigger
LANGUAGE plpython3u
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return {"patterns": qml.patterns.derive, "optimizations": qml.optimizations.derive}[TD["table_name"]](plpy, TD)
$python$;
COMMENT ON FUNCTION query_ml.derive_row() IS
    'trigger: whatever path a row of patterns or optimizations takes, its query texts are normalized and checked, and every column derived from them is computed by the server';
