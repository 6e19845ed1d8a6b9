"""ml_fingerprint, ml_normalize, ml_signature and ml_features inside the server."""
import collections
import re

import psycopg
import pytest


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


@pytest.mark.corpus
def test_tpch_queries_and_their_variants_form_22_groups(shared_db, corpora):
    tpch = corpora / "tpch"
    files = sorted(tpch.glob("q*.sql")) + sorted((tpch / "variants").glob("q*_v*.sql"))
    assert len(files) == 22 * 4
    rows = shared_db.execute("SELECT name, ml_fingerprint(sql) FROM unnest(%s::text[], %s::text[]) AS w(name, sql)",
                             ([f.stem for f in files], [f.read_text() for f in files])).fetchall()
    groups = collections.defaultdict(set)
    for name, fingerprint in rows:
        groups[fingerprint].add(name[:3])
    assert len(groups) == 22
    assert all(len(queries) == 1 for queries in groups.values()), groups


def test_twenty_thousand_calls_in_one_backend(fresh_db):
    with fresh_db.connect() as conn:
        pid = one(conn, "SELECT pg_backend_pid()")
        distinct = one(conn, """
            SELECT count(DISTINCT ml_fingerprint(format('select a, b from t%s where x = %s and y in (%s, %s)',
                                                        g % 7, g, g, g + 1)))
              FROM generate_series(1, 20000) AS g""")
        assert distinct == 7
        assert one(conn, "SELECT pg_backend_pid()") == pid


def test_normalize_leaves_no_sensitive_literal(shared_db):
    sql = """SELECT * FROM customers c JOIN payments p ON p.customer_id = c.id
              WHERE c.email = 'alice.smith@example.com' AND p.card_number = '4111 1111 1111 1111'
                AND p.card_digits = 5500005555555559 AND p.paid_on >= DATE '2024-03-15'
                AND p.created_at < '2024-03-16 10:00:00+00'::timestamptz AND p.memo = N'alice memo'"""
    normalized = one(shared_db, "SELECT ml_normalize(%s)", sql)
    for secret in ("alice.smith@example.com", "4111 1111 1111 1111", "5500005555555559", "2024-03-15", "2024-03-16",
                   "alice memo"):
        assert secret not in normalized
    assert re.findall(r"\$\d+", normalized) == ["$1", "$2", "$3", "$4", "$5", "$6"]
    for function in ("ml_signature", "ml_features"):
        shown = str(one(shared_db, f"SELECT {function}(%s)", sql))
        assert "example.com" not in shown and "4111" not in shown and "2024" not in shown


def test_null_gives_null(shared_db):
    assert shared_db.execute(
        "SELECT ml_fingerprint(NULL), ml_normalize(NULL), ml_signature(NULL), ml_features(NULL)").fetchone() \
        == (None, None, None, None)


@pytest.mark.parametrize("function", ["ml_fingerprint", "ml_normalize", "ml_signature", "ml_features"])
@pytest.mark.parametrize("sql, sqlstate, words", [
    ("SELECT * FORM orders WHERE card = '4111-1111'", "42601", 'syntax error at or near "FORM"'),
    ("select 'unterminated 4111", "42601", "unterminated quoted string at or near a literal"),
    ("select 1 /* ticket 4111, unterminated", "42601", "unterminated /* comment"),
    ('select "unterminated from t where card = 4111', "42601", "unterminated quoted identifier"),
    ("select 1; select 2", "42601", "expected one SQL statement, got 2"),
    ("", "22023", "query text is empty"),
    ("  -- just a comment", "22023", "query text is empty"),
])
def test_bad_sql_gets_a_clear_error(shared_db, function, sql, sqlstate, words):
    with pytest.raises(psycopg.Error) as info:
        shared_db.execute(f"SELECT {function}(%s)", (sql,))
    diag = info.value.diag
    assert diag.sqlstate == sqlstate
    assert diag.message_primary == f"query_ml: {words}"
    assert diag.message_hint
    assert "4111" not in f"{diag.message_primary} {diag.message_detail}"
    assert shared_db.execute("SELECT 1").fetchone() == (1,)  # the backend survived


def test_syntax_error_detail_carries_the_position(shared_db):
    with pytest.raises(psycopg.errors.SyntaxError) as info:
        shared_db.execute("SELECT ml_fingerprint('SELECT * FORM orders')")
    assert "at character 10" in info.value.diag.message_detail


def test_parser_version_is_available(shared_db):
    assert re.fullmatch(r"pglast 8\.8 \(PostgreSQL 18\.\d+ grammar\)", one(shared_db, "SELECT ml_parser_version()"))


def test_signature_and_features_in_the_server(shared_db):
    assert one(shared_db, "SELECT ml_signature('SELECT u.*, o.* FROM users u INNER JOIN orders o ON u.id = o.user_id')") \
        == "SELECT_INNER_JOIN_?"
    features = one(shared_db, "SELECT ml_features('select * from a join b on b.a_id = a.id where a.x > 1')")
    assert features["join_edges"] == ["a.id=b.a_id"] and features["predicates"] == ["a.x:range"]


def test_a_statement_that_cannot_drop_its_values_is_not_normalized(shared_db):
    for sql in ("COPY orders FROM '/srv/4111.csv'", "COMMENT ON TABLE orders IS 'card 4111'"):
        assert one(shared_db, "SELECT ml_fingerprint(%s)", sql)      # it parses; only its text cannot be kept
        with pytest.raises(psycopg.Error) as info:
            shared_db.execute("SELECT ml_normalize(%s)", (sql,))
        diag = info.value.diag
        assert diag.sqlstate == "22023" and diag.message_hint
        assert "4111" not in f"{diag.message_primary} {diag.message_detail} {diag.message_hint}"
