-- What may be shown of pg_stat_statements' texts: utility statements keep their literals there
-- (SET, COMMENT, DDL defaults), so a text is shown as it is only when it holds no literal and no
-- comment, and otherwise as query_ml normalizes it (ml_normalize), or not at all.
CREATE OR REPLACE FUNCTION query_ml.shown_texts(texts text[])
RETURNS text[]
LANGUAGE plpython3u IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.workload.shown(plpy, texts)
$python$;
COMMENT ON FUNCTION query_ml.shown_texts(text[]) IS
    'each text as it may be shown: itself when it holds no literal and no comment, else its normalized text (ml_normalize), else NULL';
