CREATE OR REPLACE FUNCTION @extschema@.ml_refine(full boolean DEFAULT false)
RETURNS TABLE (run_id bigint, status text, mode text, feedback_considered bigint, patterns_considered bigint,
               patterns_calibrated bigint, patterns_flagged bigint, patterns_retired bigint,
               patterns_reinstated bigint, accuracy_before double precision, accuracy_after double precision,
               seconds double precision)
LANGUAGE plpython3u VOLATILE
SET search_path = pg_catalog, pg_temp
AS $python$
#QUERY_ML_LOAD
return qml.refinement.refine(plpy, full, "pg_cron" if plpy.execute("SHOW application_name")[0]["application_name"] == "pg_cron" else "manual")
$python$;
COMMENT ON FUNCTION @extschema@.ml_refine(boolean) IS
    'learns from the feedback: calibrates the expected improvement of the patterns changed since the last run (all with full => true, which also recomputes every statistic), corrects each type''s estimation bias, retires or flags patterns that made queries slower, and records the run; a concurrent call returns at once with a notice';
