"""ml_match_pattern, ml_similar_patterns, ml_apply_pattern and ml_match_and_suggest."""
import psycopg
import pytest

from .stats import set_stats
from .triggers import past_the_triggers

ORDERS = "SELECT * FROM orders o WHERE o.customer_id = 42 AND o.status IN ('paid', 'shipped')"
REWRITE = "SELECT * FROM orders o WHERE o.status IN ('paid', 'shipped') AND o.customer_id = 42 ORDER BY o.id LIMIT 100"


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def learn(conn, original, kind, optimized, applications=20, successes=18, mean=40.0, score=0.95, **options):
    """Store a pattern and give it statistics, as feedback would, and the score ml_refine would."""
    extra = "".join(f", {key} => %s" for key in options)
    pid = one(conn, f"SELECT ml_store_pattern(%s, %s, %s{extra})", original, kind, optimized, *options.values())
    set_stats(conn, pid, applications, successes, mean, 30.0)
    conn.execute("UPDATE query_ml.patterns SET score = %s WHERE id = %s", (score, pid))
    return pid


def matches(conn, sql, **options):
    extra = "".join(f", {key} => %s" for key in options)
    return conn.execute(f"SELECT pattern_id, match_kind, similarity, confidence, expected_improvement, score "
                        f"FROM ml_match_pattern(%s{extra})", (sql, *options.values())).fetchall()


def test_exact_match_comes_first(db):
    rewrite = learn(db, ORDERS, "rewrite", REWRITE)
    index = learn(db, ORDERS, "index", "CREATE INDEX ON orders (customer_id)", successes=12)
    learn(db, "SELECT * FROM orders o WHERE o.customer_id = 1 AND o.status IN ('x') AND o.total > 5", "index",
          "CREATE INDEX ON orders (customer_id, total)")
    found = matches(db, "select * from orders o where o.customer_id = 7 and o.status in ('new')")
    assert [(r[0], r[1], r[2]) for r in found] == [(rewrite, "exact", 1.0), (index, "exact", 1.0)]
    assert found[0][3] == pytest.approx(0.9 + 0.1)
    assert found[0][4] == pytest.approx(40.0)   # mean measured improvement until ml_refine calibrates


def test_similar_patterns_when_there_is_no_exact_match(db):
    near = learn(db, ORDERS, "index", "CREATE INDEX ON orders (customer_id)", score=1.0)
    learn(db, "SELECT count(*) FROM invoices i WHERE i.due < now()", "index", "CREATE INDEX ON invoices (due)")
    query = "SELECT * FROM orders o WHERE o.customer_id = 3 AND o.status IN ('x') AND o.total > 10"
    assert matches(db, query) == []                 # a similar match must clear a higher bar
    found = matches(db, query, min_score=0)
    assert [(r[0], r[1]) for r in found] == [(near, "similar")]
    similarity = found[0][2]
    assert 0.3 < similarity < 1.0
    assert found[0][3] == pytest.approx(1.0 * similarity, abs=1e-3)     # confidence scaled by similarity
    assert found[0][5] == pytest.approx(similarity ** 1.2, abs=2e-3)    # score times similarity^similarity_exponent
    db.execute("SELECT ml_set_setting('similarity_exponent', '0')")
    assert [r[0] for r in matches(db, query)] == [near]


def test_thresholds_from_settings_and_arguments(db):
    pid = learn(db, ORDERS, "index", "CREATE INDEX ON orders (customer_id)", applications=10, successes=4, mean=8.0,
                score=0.7)
    assert matches(db, ORDERS) == []                          # score 0.7 < score_threshold 0.8
    assert [r[0] for r in matches(db, ORDERS, min_score=0.6)] == [pid]
    db.execute("SELECT ml_set_setting('score_threshold', '0.65')")
    assert [r[0] for r in matches(db, ORDERS)] == [pid]
    assert matches(db, ORDERS, min_confidence=0.5) == []     # the original confidence, 0.4, as a bar of its own
    db.execute("SELECT ml_set_setting('success_min_improvement', '9')")
    assert matches(db, ORDERS, min_score=0) == []             # expected 8% < 9%: a likely loss is never suggested


def test_flagged_and_retired_only_when_asked(db):
    pid = learn(db, ORDERS, "index", "CREATE INDEX ON orders (customer_id)")
    for status in ("flagged", "retired"):
        db.execute("UPDATE query_ml.patterns SET status = %s WHERE id = %s", (status, pid))
        assert matches(db, ORDERS) == []
        assert [r[0] for r in matches(db, ORDERS, include_flagged=True)] == [pid]


def test_scope_by_source_and_dialect(db):
    db.execute("SELECT ml_register_source('eu')")
    db.execute("SELECT ml_register_source('us')")
    db.execute("SELECT ml_register_source('dw', 'redshift')")
    eu = learn(db, ORDERS, "index", "CREATE INDEX ON orders (customer_id)", source="eu")
    shared = learn(db, ORDERS, "index", "CREATE INDEX ON orders (customer_id, status)", source="us", shared=True)
    redshift = learn(db, ORDERS, "index", "CREATE INDEX ON orders (status)", source="dw")
    assert {r[0] for r in matches(db, ORDERS)} == {eu, shared, redshift}
    assert {r[0] for r in matches(db, ORDERS, source="eu")} == {eu, shared}
    assert {r[0] for r in matches(db, ORDERS, source="us")} == {shared}
    assert {r[0] for r in matches(db, ORDERS, source="dw")} == {redshift}
    assert {r[0] for r in db.execute("SELECT pattern_id FROM ml_similar_patterns(%s, source => 'dw')", (ORDERS,))} \
        == {redshift}


def test_limit_and_retired_patterns(db):
    ids = [learn(db, ORDERS, "index", f"CREATE INDEX ON orders (customer_id) INCLUDE (c{i})") for i in range(4)]
    assert len(matches(db, ORDERS, row_limit=2)) == 2
    db.execute("UPDATE query_ml.patterns SET status = 'retired' WHERE id = ANY(%s)", (ids[:3],))
    assert [r[0] for r in matches(db, ORDERS)] == [ids[3]]
    assert ids[0] not in {r[0] for r in db.execute("SELECT pattern_id FROM ml_similar_patterns(%s)", (ORDERS,))}


@pytest.mark.parametrize("call, sqlstate", [
    ("SELECT * FROM ml_match_pattern('SELECT * FORM orders')", "42601"),
    ("SELECT * FROM ml_match_pattern('')", "22023"),
    ("SELECT * FROM ml_match_pattern('select 1; select 2')", "42601"),
    ("SELECT * FROM ml_match_pattern('select 1', row_limit => 0)", "22023"),
    ("SELECT * FROM ml_match_pattern('select 1', source => 'nowhere')", "42704"),
    ("SELECT * FROM ml_similar_patterns('select 1', row_limit => 5000)", "22023"),
    ("SELECT ml_apply_pattern(99999, 'select 1')", "P0002"),
])
def test_bad_input(db, call, sqlstate):
    with pytest.raises(psycopg.Error) as info:
        db.execute(call)
    assert info.value.sqlstate == sqlstate
    assert info.value.diag.message_primary.startswith("query_ml: ")


def test_null_input(db):
    assert db.execute("SELECT count(*) FROM ml_match_pattern(NULL)").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM ml_similar_patterns(NULL)").fetchone()[0] == 0
    assert db.execute("SELECT ml_apply_pattern(NULL, 'select 1'), ml_apply_pattern(1, NULL)").fetchone() == (None, None)


def test_apply_a_rewrite(db):
    pid = learn(db, ORDERS, "rewrite", REWRITE)
    applied = one(db, "SELECT ml_apply_pattern(%s, %s)", pid,
                  "select * from orders o where o.customer_id = 7 and o.status in ('new', 'open', 'late')")
    assert applied == ("SELECT * FROM orders o WHERE o.status IN ('new', 'open', 'late') AND o.customer_id = 7 "
                       "ORDER BY o.id LIMIT 100")
    assert one(db, "SELECT ml_fingerprint(%s)", applied)   # it parses


def test_apply_refuses_what_does_not_fit(db):
    pid = learn(db, ORDERS, "rewrite", REWRITE)
    other = learn(db, "SELECT 1", "other", "nothing to run")
    with pytest.raises(psycopg.errors.InvalidParameterValue) as info:
        db.execute("SELECT ml_apply_pattern(%s, 'SELECT * FROM orders WHERE id = 1')", (pid,))
    assert info.value.diag.message_primary == f"query_ml: the query does not fit pattern {pid}"
    assert "fingerprint" in info.value.diag.message_detail and info.value.diag.message_hint
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        db.execute("SELECT ml_apply_pattern(%s, 'SELECT 1')", (other,))


def test_match_and_suggest(db):
    rewrite = learn(db, ORDERS, "rewrite", REWRITE, description="page the orders")
    learn(db, "SELECT * FROM orders o WHERE o.customer_id = 1 AND o.status IN ('x') AND o.total > 5", "index",
          "CREATE INDEX ON orders (customer_id, total)")
    rows = db.execute("SELECT rank, pattern_id, match_kind, suggestion, applied_sql FROM ml_match_and_suggest(%s)",
                      ("select * from orders o where o.customer_id = 9 and o.status in ('new')",)).fetchall()
    assert rows == [(1, rewrite, "exact", "page the orders",
                     "SELECT * FROM orders o WHERE o.status IN ('new') AND o.customer_id = 9 ORDER BY o.id LIMIT 100")]
    similar = db.execute("SELECT match_kind, suggestion, applied_sql FROM ml_match_and_suggest(%s, min_score => 0)",
                         ("SELECT * FROM orders o WHERE o.customer_id = 1 AND o.total > 5 AND o.region = 'x'",)).fetchall()
    assert ("similar", "create the index: CREATE INDEX ON orders (customer_id, total)",
            "CREATE INDEX ON orders (customer_id, total)") in similar


def test_exact_matching_is_inlined_and_similarity_uses_the_index(db):
    learn(db, ORDERS, "index", "CREATE INDEX ON orders (customer_id)")
    plan = "\n".join(r[0] for r in db.execute(
        "EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM ml_match_pattern(%s)", (ORDERS,)))
    assert "Function Scan on ml_match_pattern" not in plan       # inlined into the caller's statement
    assert "Index Scan using patterns_identity_key" in plan
    assert "Function Scan on similar_matches r (never executed)" in plan, plan
    # Synthetic rows with chosen keys, written past the row trigger that would compute them.
    with past_the_triggers(db, "patterns"):
        db.execute("""INSERT INTO query_ml.patterns (fingerprint, parser_version, normalized_query, signature,
                          optimization_type, optimized_template, dialect, feature_version, tokens, lsh_keys)
                      SELECT lpad(to_hex(g), 16, '0'), 'x', 'select ' || g, 'SELECT_?', 'other', 'x' || g,
                             'postgresql', 1, ARRAY[g], ARRAY[g, g + 1]
                        FROM generate_series(1, 20000) g""")
    db.execute("ANALYZE query_ml.patterns")

    def scans():
        db.execute("SELECT pg_stat_force_next_flush()")
        db.execute("SELECT pg_stat_clear_snapshot()")
        return db.execute("SELECT seq_scan, idx_scan FROM pg_stat_user_tables "
                          "WHERE relid = 'query_ml.patterns'::regclass").fetchone()

    before = scans()
    found = db.execute("SELECT count(*) FROM query_ml.similarity_candidates(ARRAY[5, 6], NULL, NULL, 1::smallint, 300)")
    assert found.fetchone()[0] == 3
    after = scans()
    assert after[0] == before[0]      # no scan of every pattern
    assert after[1] > before[1]       # the GIN index on lsh_keys


def test_a_pattern_without_results_is_suggested_only_below_the_default_bar(db):
    """README, Gating: no results, no score; min_score => 0 lifts only the score bar."""
    db.execute("SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 30)", (ORDERS,))
    bare = one(db, "SELECT ml_store_pattern(%s, 'index', 'CREATE INDEX ON orders (status)')", ORDERS)
    db.execute("SELECT * FROM ml_refine()")
    assert one(db, "SELECT count(*) FROM query_ml.patterns WHERE score IS NOT NULL") == 0
    assert matches(db, ORDERS) == []
    shown = matches(db, ORDERS, min_score=0)
    assert [r[4] for r in shown] == [30.0]                 # the estimate, as its expected improvement
    assert bare not in [r[0] for r in shown]              # no results and no estimate: never suggested
