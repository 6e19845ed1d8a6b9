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


def caller(db, errors, sqlstates=None):
    """call(sql, *args): the rows, or None with the error's message, detail, hint and context noted."""
    def call(sql, *args):
        try:
            return db.execute(sql, args or None).fetchall()
        except psycopg.Error as error:
            diag = error.diag
            assert sqlstates is None or diag.sqlstate in sqlstates, diag.message_primary
            errors.append(" | ".join(str(x) for x in (diag.message_primary, diag.message_detail, diag.message_hint,
                                                      diag.context)))
            return None
    return call


def test_no_literal_is_stored_reported_or_echoed(db):
    db.execute("CREATE TABLE accounts (id serial PRIMARY KEY, email text, card bigint, born date, note text)")
    db.execute("INSERT INTO accounts (email, card, born, note) SELECT 'u' || g || '@example.com', g, "
               "DATE '1990-01-01' + g, 'n' FROM generate_series(1, 2000) g")
    errors = []
    call = caller(db, errors)
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

    audit(db, pattern, scan)


def audit(db, pattern, scan):
    """Every report and every table of the schema, searched with scan."""
    errors = []
    call = caller(db, errors)
    reports = ["SELECT ml_analyze_feedback()", "SELECT ml_improvement_report()", "SELECT ml_improvement_report_text()",
               "SELECT * FROM ml_stats_summary()", "SELECT * FROM ml_health()", "SELECT * FROM ml_accuracy(NULL)",
               "SELECT * FROM ml_accuracy_trend()", "SELECT * FROM ml_estimation_bias('pattern')",
               "SELECT * FROM ml_patterns()", f"SELECT ml_pattern({pattern})", "SELECT * FROM ml_list_feedback()",
               "SELECT * FROM ml_feedback_stats('pattern')", "SELECT * FROM ml_top_patterns(min_applications => 0)",
               "SELECT * FROM ml_refinement_history()", "SELECT * FROM ml_sources()",
               f"SELECT * FROM ml_explain_confidence({pattern})"]
    for report in reports:
        scan(json.dumps(call(report), default=str), report)
    scan(" ".join(errors), "the error of a report")

    tables = [r[0] for r in db.execute("SELECT c.oid::regclass::text FROM pg_class c "
                                       "WHERE c.relnamespace = 'query_ml'::regnamespace AND c.relkind IN ('r', 'v')")]
    assert len(tables) >= 12
    for table in tables:
        scan(str(db.execute(f"SELECT t::text FROM {table} t").fetchall()), table)


# One secret per literal form and statement kind; each carries the marker S3CRET.
NORMALIZABLE = [
    "SELECT * FROM accounts WHERE note = N'S3CRET01'",
    "CREATE VIEW v AS SELECT * FROM accounts WHERE note = 'S3CRET02'",
    "CREATE TABLE x AS SELECT * FROM accounts WHERE email = 'S3CRET03'",
    "PREPARE p(text) AS SELECT * FROM accounts WHERE email = $1 AND note = 'S3CRET04'",
    "EXECUTE p('S3CRET05')",
    "ALTER SYSTEM SET application_name = 'S3CRET07'",
    "ALTER ROLE bob SET application_name = 'S3CRET08'",
    "CREATE INDEX ON accounts (id) WHERE note = 'S3CRET10'",
    "CREATE TABLE y (a text DEFAULT 'S3CRET11', b varchar(20))",
    "SELECT * FROM accounts WHERE note = $$S3CRET12$$ AND email = E'S3CRET13\\'s' AND card = -4929111122223333",
    "UPDATE accounts SET note = U&'S3CRET14' WHERE id = - -5 RETURNING b'1010', x'5EC3E7'",
]
REFUSED = ["COPY accounts FROM '/srv/S3CRET06.csv'", "COMMENT ON TABLE accounts IS 'S3CRET09'"]


def scan_marker(text, where):
    assert "S3CRET" not in text and "5EC3E7" not in text and "4929111122223333" not in text, \
        f"a literal leaked into {where}: {text}"


def test_no_literal_of_any_form_or_statement_kind_is_kept(db):
    db.execute("CREATE TABLE accounts (id serial PRIMARY KEY, email text, card bigint, note text)")
    db.execute("INSERT INTO accounts (email, card, note) SELECT 'u' || g, g, 'n' FROM generate_series(1, 200) g")
    errors = []
    call = caller(db, errors, sqlstates=("22023", "42601"))
    for sql in NORMALIZABLE + REFUSED:
        for function in ("ml_normalize", "ml_fingerprint", "ml_signature", "ml_features"):
            scan_marker(str(call(f"SELECT {function}(%s)", sql)), f"{function} of {sql}")
        call("SELECT ml_store_pattern(%s, 'other', 'reviewed by hand')", sql)
    assert call("SELECT ml_normalize(%s)", NORMALIZABLE[-2])[0][0] \
        == "SELECT * FROM accounts WHERE note = $1 AND email = $2 AND card = $3"
    assert call("SELECT ml_normalize(%s)", NORMALIZABLE[8])[0][0] == "CREATE TABLE y (a text DEFAULT $1, b varchar(20))"

    # Rewrites that spell the original's values otherwise, or put them in an index.
    original = "SELECT * FROM accounts WHERE note = 'S3CRET21' AND email = 'a''S3CRET22' AND card = 4929111122223333"
    rewrite = ("SELECT * FROM accounts WHERE card = 4929111122223333.0 AND email = E'a\\'S3CRET22' "
               "AND note = $$S3CRET21$$ ORDER BY id")
    spelled = call("SELECT ml_store_pattern(%s, 'rewrite', %s)", original, rewrite)[0][0]
    call("SELECT ml_record_optimization(%s, %s, 'rewrite', 10)", original, rewrite)
    call("SELECT ml_store_pattern(%s, 'index', %s)", "SELECT id FROM accounts WHERE note = 'S3CRET23'",
         "CREATE INDEX ON accounts (id) WHERE note = 'S3CRET23'")
    call("SELECT ml_store_pattern(%s, 'rewrite', %s)", "SELECT * FROM accounts WHERE note IN ('S3CRET24', 'b')",
         "SELECT * FROM accounts WHERE note = ANY('{S3CRET24,b}')")
    call("SELECT ml_store_pattern(%s, 'rewrite', %s)", "SELECT * FROM accounts WHERE email = 'S3CRET25@x.org'",
         "SELECT * FROM accounts WHERE email LIKE 'S3CRET25@x.org%'")

    # A negative value after an operator must not turn the rest of the query into a comment.
    attack = call("SELECT ml_store_pattern(%s, 'rewrite', %s)",
                  "SELECT * FROM accounts WHERE id > 100 -5 AND note = 'paid'",
                  "SELECT * FROM accounts WHERE id > 100 -5 AND note = 'paid' ORDER BY id")[0][0]
    applied = call("SELECT ml_apply_pattern(%s, %s)", attack,
                   "SELECT * FROM accounts WHERE id > 100 - -7 AND note = 'S3CRET26'")[0][0]
    assert applied == "SELECT * FROM accounts WHERE id > 100 - -7 AND note = 'S3CRET26' ORDER BY id"
    assert "S3CRET21" in call("SELECT ml_apply_pattern(%s, %s)", spelled, original)[0][0]   # handed back only
    call("SELECT * FROM ml_match_and_suggest(%s, min_confidence => 0)",
         "SELECT * FROM accounts WHERE id > 100 - -7 AND note = 'S3CRET27'")

    # Parser errors over comments and literals.
    call("SELECT ml_fingerprint(%s)", "SELECT 1 /* S3CRET28 unterminated")
    call("SELECT ml_fingerprint(%s)", "SELECT a /* S3CRET29 */, 'S3CRET30' FORM accounts")
    call("SELECT ml_normalize(%s)", "SELECT \"x FROM accounts WHERE note = 'S3CRET31'")

    # COPY and COMMENT: ml_normalize and ml_store_pattern refuse each (4); the index of a
    # list spelled '{...}' and the LIKE of a value (2); three parse errors.
    assert len(errors) == 9, errors
    for error in errors:
        scan_marker(error, "an error message")
    assert sum("cannot normalize this COPY statement" in e for e in errors) == 2
    assert sum("ARRAY[...] or IN (...)" in e for e in errors) == 2
    audit(db, spelled, scan_marker)
