-- 0.3.0: every free-text column has a maximum size, so that a plain INSERT cannot store megabytes
-- where a sentence belongs.  The functions check the same limits first, with a clearer error (22001).
-- A value stored before 0.3.0 that is longer is cut to fit, ending in '…', rather than failing the update.
UPDATE query_ml.patterns SET status_reason = left(status_reason, 1999) || '…' WHERE length(status_reason) > 2000;
UPDATE query_ml.patterns SET optimized_template = left(optimized_template, 9999) || '…'
 WHERE optimization_type = 'other' AND length(optimized_template) > 10000;
UPDATE query_ml.sources SET database_name = left(database_name, 254) || '…' WHERE length(database_name) > 255;
UPDATE query_ml.sources SET cluster_name = left(cluster_name, 254) || '…' WHERE length(cluster_name) > 255;

-- An "other" optimization is free text; the other types are statements, which the functions parse
-- and limit to 2 MiB as they do queries.
ALTER TABLE query_ml.patterns
    DROP CONSTRAINT patterns_template_check,
    ADD CONSTRAINT patterns_template_check
        CHECK (optimized_template <> '' AND (optimization_type <> 'other' OR length(optimized_template) <= 10000)),
    ADD CONSTRAINT patterns_status_reason_check CHECK (length(status_reason) <= 2000);
ALTER TABLE query_ml.sources
    ADD CONSTRAINT sources_database_name_check CHECK (length(database_name) <= 255),
    ADD CONSTRAINT sources_cluster_name_check CHECK (length(cluster_name) <= 255);

-- check_feedback() takes applied_at as well now; sql/ creates the new one.
DO $$
BEGIN
    IF to_regprocedure('query_ml.check_feedback(double precision, double precision, double precision, double precision, '
                       'bigint, bigint, bigint, bigint, bigint, bigint, integer, integer, text)') IS NOT NULL THEN
        DROP FUNCTION query_ml.check_feedback(double precision, double precision, double precision, double precision,
                                              bigint, bigint, bigint, bigint, bigint, bigint, integer, integer, text);
    END IF;
END
$$;
