"""No literal of a query reaches a table, a report or an error message.

Queries carrying secret values go through every public function; then every table of the
schema, every report and every error message is searched for those values."""
import json

import psycopg

SECRETS = ["zelda.secret@example.com", "4929111122223333", "TOKEN-8f3a9c", "1987-06-05"]
Q1 = ("SELECT * FROM accounts WHERE email = 'zelda.secret@example.com' AND card = 4929111122223333 "
      "AND born = DATE '1987-06-05' AND note IN ('TOKEN-8f3a9c', 'x')")
Q1_REWRITE = Q1 + " ORDER BY id LIMIT 50"
Q2 = "SELECT id FROM accounts WHERE card = 4929111122223333 AND email LIKE 'zelda.secret@example.com%'"


def scan(text, where):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {where}"


def test_no_literal_is_stored_reported_or_echoed(db):
    db.execute("CREATE TABLE accounts (id serial PRIMARY KEY, email text, card bigint, born date, note text)")
    db.execute("INSERT INTO accounts (email, card, born, note) SELECT 'u' || g || '@example.com', g, "
               "DATE '1990-01-01' + g, 'n' FROM generate_series(1, 2000) g")
    errors = []

    def call(sql, *args):
        try:
            return db.execute(sql, args or None).fetchall()
        except psycopg.Error as error:
            diag = error.diag
            errors.append(" | ".join(str(x) for x in (diag.message_primary, diag.message_detail, diag.message_hint,
                                                      diag.context)))
            return None

    call("SELECT ml_register_source('vault')")
    call("SELECT ml_store_pattern(%s, 'rewrite', %s, source => 'vault')", Q1, Q1_REWRITE)
    opt = call("SELECT ml_record_optimization(%s, %s, 'rewrite', 40, source => 'vault')", Q1, Q1_REWRITE)[0][0]
    index = call("SELECT ml_record_optimization(%s, 'CREATE INDEX ON accounts (card)', 'index', 80)", Q2)[0][0]
    pattern = call("SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", opt)[0][0]
    call("SELECT * FROM ml_submit_feedback(%s, 120, 40, rating => 4)", opt)
    call("SELECT * FROM ml_track(%s, runs => 2, sql => %s)", opt, Q1)
    call("SELECT * FROM ml_track(%s, runs => 2, sql => %s)", index, Q2)
    for function in ("ml_fingerprint", "ml_normalize", "ml_signature", "ml_features"):
        scan(str(call(f"SELECT {function}(%s)", Q1)), function)
    scan(str(call("SELECT * FROM ml_match_pattern(%s, min_confidence => 0)", Q1)), "ml_match_pattern")
    scan(str(call("SELECT * FROM ml_similar_patterns(%s)", Q2)), "ml_similar_patterns")
    applied = call("SELECT ml_apply_pattern(%s, %s)", pattern, Q1)[0][0]
    assert "zelda.secret@example.com" in applied       # handed back to the caller, and stored nowhere
    call("SELECT * FROM ml_refine()")
    call("SELECT * FROM ml_refine(full => true)")

    # Errors with the secrets in their queries.
    call("SELECT ml_fingerprint(%s)", Q1.replace("FROM", "FORM"))
    call("SELECT ml_normalize(%s)", "SELECT 'zelda.secret@example.com")
    call("SELECT ml_apply_pattern(%s, %s)", pattern, Q2)
    call("SELECT ml_store_pattern(%s, 'index', %s)", Q1, Q1)
    call("SELECT * FROM ml_track(%s, sql => %s)", opt, Q1.replace("4929111122223333", "'TOKEN-8f3a9c'::bigint"))
    call("SELECT * FROM ml_track(%s, sql => %s)", opt, Q2)
    call("SELECT * FROM ml_match_pattern(%s)", Q1 + "; SELECT 'TOKEN-8f3a9c'")
    assert len(errors) == 7, errors
    for error in errors:
        scan(error, "an error message")

    reports = ["SELECT ml_analyze_feedback()", "SELECT ml_improvement_report()", "SELECT ml_improvement_report_text()",
               "SELECT * FROM ml_stats_summary()", "SELECT * FROM ml_health()", "SELECT * FROM ml_accuracy(NULL)",
               "SELECT * FROM ml_accuracy_trend()", "SELECT * FROM ml_estimation_bias('pattern')",
               "SELECT * FROM ml_patterns()", f"SELECT ml_pattern({pattern})", "SELECT * FROM ml_list_feedback()",
               "SELECT * FROM ml_feedback_stats('pattern')", "SELECT * FROM ml_top_patterns(min_applications => 0)",
               "SELECT * FROM ml_refinement_history()", "SELECT * FROM ml_sources()",
               f"SELECT * FROM ml_explain_confidence({pattern})"]
    for report in reports:
        scan(json.dumps(call(report), default=str), report)

    tables = [r[0] for r in db.execute("SELECT c.oid::regclass::text FROM pg_class c "
                                       "WHERE c.relnamespace = 'query_ml'::regnamespace AND c.relkind IN ('r', 'v')")]
    assert len(tables) >= 12
    for table in tables:
        scan(str(db.execute(f"SELECT t::text FROM {table} t").fetchall()), table)
