"""Every public function: a call that works on the data `populate` makes, and the least role
that may make it.  Security and bad-input tests walk this list; a test fails if a public
function is missing from it."""
import psycopg

QUERY = "SELECT * FROM t WHERE a = 1"
OTHER = "SELECT b, count(*) FROM t WHERE a > 5 GROUP BY b"

CALLS = [
    ("ml_fingerprint", "reader", f"SELECT ml_fingerprint('{QUERY}')"),
    ("ml_normalize", "reader", f"SELECT ml_normalize('{QUERY}')"),
    ("ml_signature", "reader", f"SELECT ml_signature('{QUERY}')"),
    ("ml_features", "reader", f"SELECT ml_features('{QUERY}')"),
    ("ml_parser_version", "reader", "SELECT ml_parser_version()"),
    ("ml_settings", "reader", "SELECT * FROM ml_settings()"),
    ("ml_sources", "reader", "SELECT * FROM ml_sources()"),
    ("ml_patterns", "reader", "SELECT * FROM ml_patterns()"),
    ("ml_pattern", "reader", "SELECT ml_pattern({pattern})"),
    ("ml_explain_confidence", "reader", "SELECT * FROM ml_explain_confidence({pattern})"),
    ("ml_top_patterns", "reader", "SELECT * FROM ml_top_patterns(min_applications => 0)"),
    ("ml_match_pattern", "reader", f"SELECT * FROM ml_match_pattern('{QUERY}', min_confidence => 0)"),
    ("ml_similar_patterns", "reader", f"SELECT * FROM ml_similar_patterns('{OTHER}')"),
    ("ml_apply_pattern", "reader", "SELECT ml_apply_pattern({pattern}, 'SELECT * FROM t WHERE a = 2')"),
    ("ml_match_and_suggest", "reader", f"SELECT * FROM ml_match_and_suggest('{QUERY}', min_confidence => 0)"),
    ("ml_feedback", "reader", "SELECT * FROM ml_feedback({feedback})"),
    ("ml_list_feedback", "reader", "SELECT * FROM ml_list_feedback()"),
    ("ml_feedback_stats", "reader", "SELECT * FROM ml_feedback_stats()"),
    ("ml_check_stats", "reader", "SELECT * FROM ml_check_stats()"),
    ("ml_accuracy", "reader", "SELECT * FROM ml_accuracy()"),
    ("ml_accuracy_trend", "reader", "SELECT * FROM ml_accuracy_trend()"),
    ("ml_accuracy_verdict", "reader", "SELECT * FROM ml_accuracy_verdict()"),
    ("ml_estimation_bias", "reader", "SELECT * FROM ml_estimation_bias()"),
    ("ml_analyze_feedback", "reader", "SELECT ml_analyze_feedback()"),
    ("ml_improvement_report", "reader", "SELECT ml_improvement_report()"),
    ("ml_improvement_report_text", "reader", "SELECT ml_improvement_report_text()"),
    ("ml_stats_summary", "reader", "SELECT * FROM ml_stats_summary()"),
    ("ml_health", "reader", "SELECT * FROM ml_health()"),
    ("ml_refinement_history", "reader", "SELECT * FROM ml_refinement_history()"),
    ("ml_workload_opportunities", "reader", "SELECT * FROM ml_workload_opportunities()"),
    ("ml_register_source", "writer", "SELECT ml_register_source('us')"),
    ("ml_store_pattern", "writer", f"SELECT ml_store_pattern('{OTHER}', 'index', 'CREATE INDEX ON t (a)')"),
    ("ml_record_optimization", "writer",
     f"SELECT ml_record_optimization('{OTHER}', 'CREATE INDEX ON t (a, b)', 'index', 30)"),
    ("ml_submit_feedback", "writer", "SELECT * FROM ml_submit_feedback({optimization}, 10, 5)"),
    ("ml_update_feedback", "writer", "SELECT * FROM ml_update_feedback({feedback}, rating => 3)"),
    ("ml_delete_feedback", "writer", "SELECT ml_delete_feedback({spare})"),
    ("ml_track", "writer", "SELECT * FROM ml_track({optimization}, runs => 1, sql => 'SELECT * FROM t WHERE a = 3', "
                              "optimized => 'SELECT * FROM t WHERE a = 3 LIMIT 10')"),
    ("ml_mark_applied", "writer", "SELECT * FROM ml_mark_applied({optimization})"),
    ("ml_set_setting", "admin", "SELECT ml_set_setting('confidence_threshold', '0.6')"),
    ("ml_reset_setting", "admin", "SELECT ml_reset_setting('confidence_threshold')"),
    ("ml_retire_source", "admin", "SELECT ml_retire_source('eu')"),
    ("ml_refingerprint_patterns", "admin", "SELECT * FROM ml_refingerprint_patterns()"),
    ("ml_refine", "admin", "SELECT * FROM ml_refine()"),
    ("ml_capture_workload", "admin", "SELECT * FROM ml_capture_workload()"),
    ("ml_production_changes", "admin", "SELECT * FROM ml_production_changes()"),
    ("ml_set_pattern_status", "admin", "SELECT ml_set_pattern_status({pattern}, 'flagged')"),
    ("ml_update_pattern", "admin", "SELECT ml_update_pattern({pattern}, description => 'checked')"),
    ("ml_delete_pattern", "admin", "SELECT * FROM ml_delete_pattern({pattern}, cascade => true)"),
    ("ml_fleet_status", "admin", "SELECT * FROM ml_fleet_status()"),
    # A superuser's only (subscriptions are in PostgreSQL 15); see SUPERUSER_OUTCOMES.
    ("ml_fleet_publish", "superuser", "CALL ml_fleet_publish('here')"),
    ("ml_fleet_add_member", "superuser", "SELECT * FROM ml_fleet_add_member('there', 'host=/nowhere')"),
    ("ml_fleet_remove_member", "superuser", "SELECT * FROM ml_fleet_remove_member('there')"),
    ("ml_fleet_join", "superuser", "SELECT * FROM ml_fleet_join('host=/nowhere')"),
    ("ml_fleet_leave", "superuser", "SELECT * FROM ml_fleet_leave()"),
    # Without pg_cron these end in 55000 once the privilege check has let them through.
    ("ml_schedule_refinement", "admin", "SELECT ml_schedule_refinement('*/10 * * * *')"),
    ("ml_unschedule_refinement", "admin", "SELECT ml_unschedule_refinement()"),
    ("ml_schedule_capture", "admin", "SELECT ml_schedule_capture('*/15 * * * *')"),
    ("ml_unschedule_capture", "admin", "SELECT ml_unschedule_capture()"),
]
ROLES = ["nobody", "reader", "writer", "admin"]
NEEDS_PG_CRON = {"ml_schedule_refinement", "ml_unschedule_refinement", "ml_schedule_capture", "ml_unschedule_capture"}
# What the fleet's helpers end in for a superuser of a server with wal_level = replica, in no fleet.
SUPERUSER_OUTCOMES = {"ml_fleet_publish": "55000", "ml_fleet_add_member": "55000", "ml_fleet_remove_member": "42704",
                      "ml_fleet_join": "55000", "ml_fleet_leave": "55000"}


def superuser_outcome(name):
    """The SQLSTATE (or ok) a superuser's catalogue call of this function ends in on the test server."""
    return "55000" if name in NEEDS_PG_CRON else SUPERUSER_OUTCOMES.get(name, "ok")


def create_user_table(conn):
    """The user's own table the calls query."""
    conn.execute("CREATE TABLE t (a integer, b text)")
    conn.execute("INSERT INTO t SELECT g, 'x' || (g % 7) FROM generate_series(1, 1000) g")
    conn.execute("GRANT SELECT ON t TO query_ml_reader")


def create_pg_stat_statements(conn):
    """pg_stat_statements in conn's database, where the server preloads it (the test server)."""
    if conn.execute("SELECT 1 FROM pg_settings WHERE name = 'pg_stat_statements.max'").fetchone():
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")


def populate(conn):
    """A table, a source, an optimization with its pattern, and feedback; returns the ids.  With
    pg_stat_statements preloaded (the test server), its extension too, for the workload's calls."""
    create_user_table(conn)
    create_pg_stat_statements(conn)
    conn.execute("SELECT ml_register_source('eu')")
    optimization = conn.execute(f"SELECT ml_record_optimization('{QUERY}', '{QUERY} LIMIT 10', 'rewrite', 20, "
                                "source => 'eu')").fetchone()[0]
    feedback = [conn.execute("SELECT feedback_id FROM ml_submit_feedback(%s, 10, %s)", (optimization, after))
                .fetchone()[0] for after in (5, 6, 7)]
    pattern = conn.execute("SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", (optimization,)).fetchone()[0]
    return {"optimization": optimization, "pattern": pattern, "feedback": feedback[0], "spare": feedback[2]}


def populate_history(conn):
    """A database in use: custom settings, two sources, patterns of every type and state,
    feedback over time, two refinement runs; returns populate's ids."""
    ids = populate(conn)
    conn.execute("SELECT ml_set_setting('success_min_improvement', '8')")
    conn.execute("SELECT ml_set_setting('confidence_threshold', '0.4')")
    conn.execute("SELECT ml_register_source('us', dialect => 'postgresql')")
    for i in range(30):
        query = f"SELECT * FROM orders{i % 10} WHERE customer_id = {i} AND total > 5"
        kind, optimized = [("index", f"CREATE INDEX ON orders{i % 10} (customer_id)"),
                           ("rewrite", f"{query} ORDER BY customer_id LIMIT 50"),
                           ("setting", "SET enable_seqscan = off")][i % 3]
        conn.execute("SELECT ml_record_optimization(%s, %s, %s, %s, source => %s)",
                     (query, optimized, kind, 5 + i, ("eu", "us")[i % 2]))
    conn.execute("""INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms,
                                                   rating, created_at)
                    SELECT o.id, 100, 100 - (o.id * 7 + g * 13) % 60 + 15, 1 + g % 5,
                           timestamptz '2026-01-01' + g * interval '1 hour'
                      FROM query_ml.optimizations o, generate_series(1, 40) g""")
    conn.execute("SELECT ml_refine()")
    conn.execute("SELECT ml_set_pattern_status(%s, 'flagged', reason => 'checked by hand')", (ids["pattern"],))
    conn.execute("""INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms)
                    SELECT id, 50, 20 FROM query_ml.optimizations""")
    conn.execute("SELECT ml_refine()")
    return ids


def failing_calls(conn, ids):
    """{function: error} for every public function whose catalogue call fails on conn."""
    failures = {}
    for name, _, sql in CALLS:
        try:
            conn.execute(sql.format(**ids)).fetchall()
        except psycopg.Error as error:
            if error.sqlstate != superuser_outcome(name):
                failures[name] = f"{error.sqlstate}: {error}"
    return failures
