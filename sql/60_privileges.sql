-- Who may do what.  Nothing is granted to PUBLIC: a user with none of the three roles can do
-- nothing with query_ml.  Functions run with their caller's rights, so the grants on tables
-- are the real boundary:
-- * writers insert only the columns that carry what they know; who made a row, when, how it
--   was measured, and everything derived (fingerprints, calibration, status, a source's state)
--   is the server's, set by defaults, triggers and the SECURITY DEFINER internals;
-- * each internal function is granted to exactly the role whose public functions call it
--   (tests/server/test_roles.py derives the same list from the code and compares).
REVOKE ALL ON SCHEMA query_ml FROM PUBLIC;
GRANT USAGE ON SCHEMA query_ml TO query_ml_reader;

-- Revoked first (a table privilege takes its column privileges with it), so that an update
-- ends with the same grants, in the same order, as a fresh install.
REVOKE ALL ON ALL TABLES IN SCHEMA query_ml FROM query_ml_reader, query_ml_writer, query_ml_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA query_ml TO query_ml_reader;
GRANT INSERT (name, dialect, database_name, cluster_name, description) ON query_ml.sources TO query_ml_writer;
GRANT UPDATE (database_name, cluster_name, description) ON query_ml.sources TO query_ml_writer;
GRANT INSERT (normalized_query, optimization_type, optimized_template, description, source_id, dialect)
    ON query_ml.patterns TO query_ml_writer;
GRANT UPDATE (description) ON query_ml.patterns TO query_ml_writer;
GRANT INSERT (pattern_id, source_id, original_query, estimated_improvement, description)
    ON query_ml.optimizations TO query_ml_writer;
GRANT INSERT (optimization_id, before_execution_ms, after_execution_ms, before_planning_ms, after_planning_ms,
              before_rows, after_rows, before_shared_hit, before_shared_read, after_shared_hit, after_shared_read,
              runs, rating, comment, applied_at, measured_by)
    ON query_ml.feedback TO query_ml_writer;
GRANT UPDATE (before_execution_ms, after_execution_ms, before_planning_ms, after_planning_ms, before_rows, after_rows,
              before_shared_hit, before_shared_read, after_shared_hit, after_shared_read, runs, rating, comment,
              applied_at)
    ON query_ml.feedback TO query_ml_writer;
GRANT DELETE ON query_ml.feedback TO query_ml_writer;
-- Insert only: a mark deleted and made again, or moved, could verify the same calls twice or
-- choose its split point; admins correct marks.
GRANT INSERT (optimization_id, applied_at) ON query_ml.production_changes TO query_ml_writer;
-- The workload's tables hold every role's statements: readers see them through
-- ml_workload_opportunities, which shows what pg_stat_statements shows each caller.
REVOKE SELECT ON query_ml.workload_statements, query_ml.workload_counters, query_ml.workload_snapshots,
                 query_ml.workload_captures, query_ml.production_sides FROM query_ml_reader;
-- A fleet's replicated rows hold other clusters' learning: admins read them, and only
-- replication and query_ml's own code write them (README, "Fleet").
REVOKE SELECT ON query_ml.member_optimizations, query_ml.member_feedback, query_ml.fleet_members,
                 query_ml.fleet_refusals FROM query_ml_reader;
GRANT ALL ON ALL TABLES IN SCHEMA query_ml TO query_ml_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA query_ml TO query_ml_admin;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON query_ml.fleet_identity, query_ml.fleet_members,
       query_ml.member_optimizations, query_ml.member_feedback, query_ml.fleet_patterns, query_ml.fleet_calibration
       FROM query_ml_admin;

DO $$
DECLARE
    reader CONSTANT text[] := ARRAY[
        'ml_fingerprint', 'ml_normalize', 'ml_signature', 'ml_features', 'ml_parser_version', 'ml_settings',
        'ml_sources', 'ml_patterns', 'ml_pattern', 'ml_explain_confidence', 'ml_top_patterns', 'ml_match_pattern',
        'ml_similar_patterns', 'ml_apply_pattern', 'ml_match_and_suggest', 'ml_feedback', 'ml_list_feedback',
        'ml_feedback_stats', 'ml_check_stats', 'ml_accuracy', 'ml_accuracy_trend', 'ml_accuracy_verdict',
        'ml_estimation_bias', 'ml_analyze_feedback', 'ml_improvement_report', 'ml_improvement_report_text',
        'ml_stats_summary', 'ml_health', 'ml_refinement_history', 'ml_workload_opportunities',
        -- internals that the views and the readers' functions call
        'apply_pattern', 'bias_verdict', 'check_choice', 'checked_bar', 'check_listing', 'check_optimization_type', 'check_window', 'checked_limit', 'concrete_sql', 'confidence_bonus_improvement',
        'confidence_bonus_successes', 'confidence_score', 'estimate_accuracy', 'find_source', 'make_probe_view',
        'learning_value', 'match_and_suggest', 'match_bars', 'in_scope', 'in_fleet_scope', 'mean_error', 'passes_gate', 'recomputed_totals',
        'stat_statements', 'statement_fingerprints', 'shown_texts',
        'setting', 'shown_fraction', 'source_label', 'shown_ms', 'shown_percent', 'shown_time', 'similar_matches', 'similar_scores', 'similarity_candidates', 'stats_differences', 'thresholds',
        'wilson_lower_bound'];
    writer CONSTANT text[] := ARRAY[
        'ml_register_source', 'ml_store_pattern', 'ml_record_optimization', 'ml_submit_feedback',
        'ml_update_feedback', 'ml_delete_feedback', 'ml_track', 'ml_mark_applied',
        -- internals that the writers' functions call
        'applied_at_ok', 'check_feedback', 'explain_measured', 'refuse_applied_at', 'relations_named', 'run_setup', 'source_for',
        'store_measurement', 'track'];
    -- The SECURITY DEFINER internals that ml_refine calls, and what the fleet's helpers call
    -- before they find a superuser missing (their own error, not a missing grant).
    admin CONSTANT text[] := ARRAY[
        'apply_status_rule', 'calibrate_patterns', 'calibrate_types', 'compact_stats', 'fleet_kind', 'fleet_merge_pending',
        'fleet_share_results',
        'recompute_pattern_stats', 'verify_production_changes', 'weigh_recent', 'require_fleet_setup', 'fleet_name'];
    fn record;
BEGIN
    FOR fn IN
        SELECT p.oid::regprocedure AS identity, p.proname::text AS name,
               p.pronamespace = 'query_ml'::regnamespace AS internal
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_depend d ON d.objid = p.oid AND d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'
          JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'query_ml'
    LOOP
        EXECUTE format('REVOKE ALL ON ROUTINE %s FROM PUBLIC, query_ml_reader, query_ml_writer, query_ml_admin',
                       fn.identity);
        -- Trigger functions and what only SECURITY DEFINER code calls are granted to nobody.
        IF fn.name = ANY (reader) THEN
            EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO query_ml_reader', fn.identity);
        ELSIF fn.name = ANY (writer) THEN
            EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO query_ml_writer', fn.identity);
        ELSIF fn.name = ANY (admin) OR NOT fn.internal THEN
            EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO query_ml_admin', fn.identity);
        END IF;
    END LOOP;
END
$$;
