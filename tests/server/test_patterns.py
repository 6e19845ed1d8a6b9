"""Storing patterns, listing them, one pattern's details, the top list, re-fingerprinting."""
import math

import psycopg
import pytest

from .stats import set_stats
from .triggers import past_the_triggers

SECRET = "alice@example.com"
ORIGINAL = f"SELECT * FROM users u WHERE u.email = '{SECRET}' AND u.created > DATE '2024-02-29'"


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def store(conn, original=ORIGINAL, kind="index", optimized="CREATE INDEX ON users (email)", **options):
    extra = "".join(f", {key} => %s" for key in options)
    return one(conn, f"SELECT ml_store_pattern(%s, %s, %s{extra})", original, kind, optimized, *options.values())


def test_store_keeps_only_normalized_text(db):
    pid = store(db, kind="rewrite", optimized=ORIGINAL + " LIMIT 10")
    row = db.execute("SELECT normalized_query, optimized_template, parser_version, signature, fingerprint "
                     "FROM query_ml.patterns WHERE id = %s", (pid,)).fetchone()
    assert row[0] == "SELECT * FROM users u WHERE u.email = $1 AND u.created > DATE $2"
    assert row[1] == "SELECT * FROM users u WHERE u.email = $1 AND u.created > DATE $2 LIMIT 10"
    assert row[2] == one(db, "SELECT ml_parser_version()")
    assert row[3] == "SELECT_?"
    assert row[4] == one(db, "SELECT ml_fingerprint(%s)", ORIGINAL)
    dump = str(db.execute("SELECT * FROM query_ml.patterns").fetchall())
    assert SECRET not in dump and "2024-02-29" not in dump


def test_the_same_pattern_is_not_stored_twice(db):
    first = store(db, description="index the e-mail")
    again = store(db, original=ORIGINAL.replace(SECRET, "bob@example.com"))
    assert first == again
    assert one(db, "SELECT count(*) FROM query_ml.patterns") == 1
    assert one(db, "SELECT description FROM query_ml.patterns") == "index the e-mail"
    other = store(db, optimized="CREATE INDEX ON users (email, created)")
    shared = store(db, shared=True)
    assert len({first, other, shared}) == 3
    assert db.execute("SELECT source_id, dialect FROM query_ml.patterns WHERE id = %s", (shared,)).fetchone() \
        == (None, "postgresql")


def test_every_type_is_checked(db):
    assert store(db, kind="setting", optimized="SET work_mem = '256MB'")
    assert store(db, kind="hint", optimized="/*+ IndexScan(u) */ " + ORIGINAL)
    assert store(db, kind="other", optimized="archived the old rows")
    for kind, optimized, sqlstate in (("magic", "x", "22023"), ("index", ORIGINAL, "22023"),
                                      ("rewrite", "CREATE INDEX ON users (email)", "22023"),
                                      ("rewrite", "SELEC * FROM users", "42601"), ("other", "  ", "22023")):
        with pytest.raises(psycopg.Error) as info:
            store(db, kind=kind, optimized=optimized)
        assert info.value.sqlstate == sqlstate, (kind, optimized)
    with pytest.raises(psycopg.errors.SyntaxError):
        store(db, original="SELECT * FORM users")
    with pytest.raises(psycopg.errors.NullValueNotAllowed):
        db.execute("SELECT ml_store_pattern(NULL, 'index', 'create index on t (a)')")


def test_listing_filters_and_pages(db):
    db.execute("SELECT ml_register_source('b')")
    ids = [store(db, original=f"SELECT * FROM t{i} WHERE a = 1", optimized=f"CREATE INDEX ON t{i} (a)",
                 **({"source": "b"} if i % 2 else {})) for i in range(6)]
    store(db, kind="other", optimized="vacuum it")
    assert [r[0] for r in db.execute("SELECT id FROM ml_patterns(source => 'b')")] == ids[1::2]
    assert [r[0] for r in db.execute("SELECT id FROM ml_patterns(optimization_type => 'index', row_limit => 2, row_offset => 2)")] \
        == ids[2:4]
    assert one(db, "SELECT count(*) FROM ml_patterns(optimization_type => 'other')") == 1
    set_stats(db, ids[0], 3, 0)
    assert [r[0] for r in db.execute("SELECT id FROM ml_patterns(min_applications => 1)")] == [ids[0]]
    for call, sqlstate in (("ml_patterns(row_limit => -1)", "22023"), ("ml_patterns(optimization_type => 'x')", "22023"),
                           ("ml_patterns(status => 'gone')", "22023"), ("ml_patterns(source => 'zzz')", "42704")):
        with pytest.raises(psycopg.Error) as info:
            db.execute(f"SELECT * FROM {call}")
        assert info.value.sqlstate == sqlstate


def test_one_pattern_in_detail(db):
    pid = store(db, description="index the e-mail")
    detail = one(db, "SELECT ml_pattern(%s)", pid)
    assert detail["id"] == pid and detail["description"] == "index the e-mail"
    assert detail["recent_feedback"] == [] and detail["applications"] == 0 and detail["optimizations"] == 0
    with pytest.raises(psycopg.errors.NoDataFound) as info:
        db.execute("SELECT ml_pattern(424242)")
    assert info.value.diag.message_primary == "query_ml: pattern 424242 does not exist"


def wilson(successes, n, z=1.96):
    p = successes / n
    return (p + z * z / (2 * n) - z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)


@pytest.mark.parametrize("applications, successes, mean, expected", [
    (20, 15, 60.0, 0.95),   # 0.75 + 0.10 (>= 10 successes) + 0.10 (mean >= 50%)
    (20, 15, 20.0, 0.85),
    (8, 6, 80.0, 0.85),     # fewer than 10 successes: no boost
    (40, 40, 70.0, 1.0),    # capped at 1
    (10, 0, -30.0, 0.0),
])
def test_confidence_follows_the_original_rule(db, applications, successes, mean, expected):
    pid = store(db)
    set_stats(db, pid, applications, successes, mean)
    confidence, lower = db.execute("SELECT confidence, confidence_wilson FROM query_ml.pattern_totals "
                                   "WHERE pattern_id = %s", (pid,)).fetchone()
    assert confidence == pytest.approx(expected)
    assert lower == pytest.approx(wilson(successes, applications))


def test_explain_confidence_names_each_term(db):
    pid = store(db)
    set_stats(db, pid, 20, 15, 60.0)
    terms = {term: (value, text) for term, value, text in
             db.execute("SELECT * FROM ml_explain_confidence(%s)", (pid,))}
    assert list(terms) == ["success rate", "many successes", "large improvement", "confidence",
                           "wilson lower bound", "score", "threshold"]
    assert terms["success rate"][0] == pytest.approx(0.75)
    assert terms["success rate"][1] == "15 of 20 applications improved the query by at least 5%"
    assert terms["many successes"][1] == "+0.10 for 10 or more successful applications; this pattern has 15"
    assert terms["large improvement"][1] == "+0.10 for a mean improvement of 50% or more; this pattern's is 60%"
    assert terms["many successes"][0] == terms["large improvement"][0] == pytest.approx(0.10)
    assert terms["confidence"][0] == pytest.approx(0.95)
    assert terms["wilson lower bound"][0] == round(wilson(15, 20), 3)      # shown to 3 decimals
    assert terms["score"] == (None, "not weighed yet: ml_refine() scores a pattern once it has results")
    assert terms["threshold"] == (0.8, "score_threshold: an exact match is not suggested yet")
    db.execute("SELECT ml_set_pattern_status(%s, 'retired', reason => 'slower on replicas')", (pid,))
    assert one(db, "SELECT explanation FROM ml_explain_confidence(%s) WHERE term = 'threshold'", pid) \
        == "retired (manual: slower on replicas): suggested only with include_flagged => true"
    fresh = store(db, original="SELECT 1 FROM never_applied", optimized="CREATE INDEX ON never_applied (a)")
    assert [(t, v) for t, v, _ in db.execute("SELECT * FROM ml_explain_confidence(%s)", (fresh,))][:4] == \
        [("success rate", 0), ("many successes", 0), ("large improvement", 0), ("confidence", 0)]
    with pytest.raises(psycopg.errors.NoDataFound):
        db.execute("SELECT * FROM ml_explain_confidence(424242)")


def test_refinement_time_is_kept(db):
    pid = store(db)
    set_stats(db, pid, 20, 15, 60.0)
    assert one(db, "SELECT refined_at FROM query_ml.patterns WHERE id = %s", pid) is None
    db.execute("SELECT ml_refine(full => true)")
    assert one(db, "SELECT ml_pattern(%s)->>'refined_at' IS NOT NULL", pid)


def test_top_patterns_ranking(db):
    stats = {"a": (50, 45, 60.0), "b": (5, 5, 90.0), "c": (30, 12, 10.0), "d": (0, 0, 0.0)}
    ids = {}
    for name, (n, s, mean) in stats.items():
        ids[name] = store(db, original=f"SELECT * FROM {name} WHERE x = 1", optimized=f"CREATE INDEX ON {name} (x)")
        set_stats(db, ids[name], n, s, mean)
    by = lambda ranking: [r[0] for r in db.execute(
        "SELECT pattern_id FROM ml_top_patterns(ranking => %s)", (ranking,))]
    assert by("confidence") == [ids["a"], ids["b"], ids["c"]]   # a: 1.0 (capped); b: 1.0; Wilson breaks the tie
    assert by("improvement") == [ids["b"], ids["a"], ids["c"]]
    assert by("applications") == [ids["a"], ids["c"], ids["b"]]
    assert by("wilson") == [ids["a"], ids["b"], ids["c"]]
    db.execute("UPDATE query_ml.patterns SET status = 'retired' WHERE id = %s", (ids["a"],))
    assert ids["a"] not in by("confidence")
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        db.execute("SELECT * FROM ml_top_patterns(ranking => 'luck')")


def test_refingerprint_after_a_parser_change(db):
    keep = store(db)
    moved = store(db, original="SELECT * FROM orders WHERE id = 1", optimized="CREATE INDEX ON orders (id)")
    clash = store(db, original="SELECT * FROM orders WHERE id = 1", optimized="CREATE INDEX ON orders (id) INCLUDE (x)")
    # What an older parser left behind, written past the row trigger that would recompute it.
    with past_the_triggers(db, "patterns"):
        db.execute("UPDATE query_ml.patterns SET parser_version = 'pglast 7.0 (PostgreSQL 17.0 grammar)', "
                   "fingerprint = '0123456789abcdef' WHERE id = %s", (moved,))
    assert [r[3] for r in db.execute("SELECT * FROM ml_refingerprint_patterns()")] == ["updated"]
    assert one(db, "SELECT count(DISTINCT parser_version) FROM query_ml.patterns") == 1
    # Force, with a pattern whose recomputed key collides with another's.
    with past_the_triggers(db, "patterns"):
        db.execute("UPDATE query_ml.patterns SET optimized_template = 'CREATE INDEX ON orders (id)', "
                   "fingerprint = '0123456789abcdef' WHERE id = %s", (clash,))
    report = {r[0]: r[3] for r in db.execute("SELECT * FROM ml_refingerprint_patterns(force => true)")}
    assert report == {keep: "unchanged", moved: "unchanged", clash: "conflict"}


def test_the_types_are_listed_once(db):
    """query_ml.optimization_types is the list; the Python package knows how to parse each one."""
    from query_ml import patterns
    listed = {r[0] for r in db.execute("SELECT name FROM query_ml.optimization_types")}
    assert listed == set(patterns.STATEMENT_KINDS) | {"other"}
    with pytest.raises(psycopg.errors.InvalidParameterValue) as info:
        db.execute("SELECT ml_store_pattern('SELECT 1', 'magic', 'SELECT 1')")
    assert info.value.diag.message_hint == "The types are hint, index, other, rewrite, setting."


def test_storing_again_changes_nothing_and_says_so(db):
    """Storing the same pattern again once overwrote its description and used up a sequence value."""
    first = store(db, description="index the e-mail")
    notices = []
    db.add_notice_handler(lambda diag: notices.append((diag.message_primary, diag.message_hint)))
    assert store(db, description="another text") == first
    assert one(db, "SELECT description FROM query_ml.patterns WHERE id = %s", first) == "index the e-mail"
    assert notices == [(f"query_ml: pattern {first} exists already; its description is kept",
                        f"ml_update_pattern({first}, description => ...) changes it.")]
    second = store(db, optimized="CREATE INDEX ON users (email, created)")
    assert second == first + 1      # no sequence value was used up


def test_update_pattern(db):
    pid = store(db, kind="rewrite", optimized=ORIGINAL + " LIMIT 10", description="limit it")
    assert one(db, "SELECT ml_update_pattern(%s, optimized => %s, original_query => %s)",
               pid, ORIGINAL + " LIMIT 5", ORIGINAL) == pid
    row = db.execute("SELECT optimized_template, description FROM query_ml.patterns WHERE id = %s", (pid,)).fetchone()
    assert row == ("SELECT * FROM users u WHERE u.email = $1 AND u.created > DATE $2 LIMIT 5", "limit it")
    db.execute("SELECT ml_update_pattern(%s, description => '')", (pid,))
    assert one(db, "SELECT description FROM query_ml.patterns WHERE id = %s", pid) is None
    assert SECRET not in str(db.execute("SELECT * FROM query_ml.patterns").fetchall())
    for call, sqlstate in [("SELECT ml_update_pattern(%s)", "22023"),
                           (f"SELECT ml_update_pattern(%s, optimized => $${ORIGINAL} LIMIT 3$$)", "22023"),
                           (f"SELECT ml_update_pattern(%s, optimized => 'SELECT 1', original_query => 'SELECT 2')",
                            "22023"),
                           (f"SELECT ml_update_pattern(%s, optimized => 'DELETE FROM users', original_query => $${ORIGINAL}$$)",
                            "22023"),
                           ("SELECT ml_update_pattern(%s + 1000, description => 'x')", "P0002")]:
        with pytest.raises(psycopg.Error) as info:
            db.execute(call, (pid,))
        assert info.value.sqlstate == sqlstate, call


def test_delete_pattern_keeps_feedback_unless_asked(db):
    pid = store(db)
    opt = one(db, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON users (email)', 'index', 30)", ORIGINAL)
    assert one(db, "SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", opt) == pid
    db.execute("SELECT * FROM ml_submit_feedback(%s, 100, 40)", (opt,))
    with pytest.raises(psycopg.errors.DependentObjectsStillExist) as info:
        db.execute("SELECT * FROM ml_delete_pattern(%s)", (pid,))
    assert info.value.diag.message_primary == f"query_ml: pattern {pid} has 1 feedback rows"
    assert "cascade => true" in info.value.diag.message_hint
    assert one(db, "SELECT count(*) FROM query_ml.feedback") == 1
    assert db.execute("SELECT * FROM ml_delete_pattern(%s, cascade => true)", (pid,)).fetchall() == [(1, 1)]
    assert one(db, "SELECT count(*) FROM query_ml.patterns WHERE id = %s", pid) == 0
    assert one(db, "SELECT count(*) FROM query_ml.feedback") == 0
    assert db.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    bare = store(db, optimized="CREATE INDEX ON users (created)")
    assert db.execute("SELECT * FROM ml_delete_pattern(%s)", (bare,)).fetchall() == [(0, 0)]
    with pytest.raises(psycopg.errors.NoDataFound):
        db.execute("SELECT * FROM ml_delete_pattern(%s)", (bare,))
