-- Who may do what.  Nothing is granted to PUBLIC: a user with none of the three roles can do
-- nothing with query_ml.  Functions run with their caller's rights, so the grants on tables
-- are the real boundary; the internal functions that write derived data run as the
-- extension's owner (SECURITY DEFINER) and only the admin role may call them directly.
REVOKE ALL ON SCHEMA query_ml FROM PUBLIC;
GRANT USAGE ON SCHEMA query_ml TO query_ml_reader;

GRANT SELECT ON ALL TABLES IN SCHEMA query_ml TO query_ml_reader;
GRANT INSERT ON query_ml.sources, query_ml.optimizations, query_ml.feedback, query_ml.patterns TO query_ml_writer;
GRANT UPDATE (database_name, cluster_name, description, is_active, retired_at) ON query_ml.sources TO query_ml_writer;
GRANT UPDATE (description) ON query_ml.patterns TO query_ml_writer;
GRANT UPDATE, DELETE ON query_ml.feedback TO query_ml_writer;
GRANT ALL ON ALL TABLES IN SCHEMA query_ml TO query_ml_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA query_ml TO query_ml_admin;

DO $$
DECLARE
    reader CONSTANT text[] := ARRAY[
        'ml_fingerprint', 'ml_normalize', 'ml_signature', 'ml_features', 'ml_parser_version', 'ml_settings',
        'ml_sources', 'ml_patterns', 'ml_pattern', 'ml_explain_confidence', 'ml_top_patterns', 'ml_match_pattern',
        'ml_similar_patterns', 'ml_apply_pattern', 'ml_match_and_suggest', 'ml_feedback', 'ml_list_feedback',
        'ml_feedback_stats', 'ml_check_stats', 'ml_accuracy', 'ml_accuracy_trend', 'ml_accuracy_verdict',
        'ml_estimation_bias', 'ml_analyze_feedback', 'ml_improvement_report', 'ml_improvement_report_text',
        'ml_stats_summary', 'ml_health', 'ml_refinement_history'];
    writer CONSTANT text[] := ARRAY[
        'ml_register_source', 'ml_store_pattern', 'ml_record_optimization', 'ml_submit_feedback',
        'ml_update_feedback', 'ml_delete_feedback', 'ml_track'];
    fn record;
BEGIN
    FOR fn IN
        SELECT p.oid::regprocedure AS signature, p.proname::text AS name, p.prosecdef AS definer,
               p.pronamespace = 'query_ml'::regnamespace AS internal
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_depend d ON d.objid = p.oid AND d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'
          JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'query_ml'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn.signature);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', fn.signature,
            CASE WHEN fn.internal AND NOT fn.definer THEN 'query_ml_reader'
                 WHEN fn.internal THEN 'query_ml_admin'
                 WHEN fn.name = ANY (reader) THEN 'query_ml_reader'
                 WHEN fn.name = ANY (writer) THEN 'query_ml_writer'
                 ELSE 'query_ml_admin' END);
    END LOOP;
END
$$;
