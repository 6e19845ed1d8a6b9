"""Random SQL text against the real server: it parses or it gets a clear error; the backend lives."""
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FreshDatabase

TOKENS = ["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "JOIN", "ON", "GROUP BY", "ORDER BY", "LIMIT", "(", ")",
          ",", ";", "*", "=", "<", "'text'", "'unterminated", "42", "-7.5e3", "$1", "t", "u.a", "count(*)", "WITH",
          "AS", "UNION", "CASE", "WHEN", "THEN", "END", "::int", "E'\\x'", "$$x$$", "/*", "*/", "--", "\n", "ARRAY[",
          "]", "IS NULL", "BETWEEN", "LIKE", "EXISTS", "VALUES", "INSERT INTO", "DELETE", "UPDATE", "SET"]
EXPECTED = {"42601", "22023", "54001", "54000"}
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300)
token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)


@pytest.fixture(scope="module")
def fuzz_conn(server):
    with FreshDatabase(server) as fresh, fresh.connect() as conn:
        conn.execute("SELECT ml_store_pattern('SELECT * FROM t WHERE a = 1', 'index', 'CREATE INDEX ON t (a)')")
        yield conn


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sql=st.one_of(text, token_soup))
def test_random_sql_never_breaks_the_server(fuzz_conn, sql):
    pid = fuzz_conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    for call in ("SELECT ml_fingerprint(%s)", "SELECT ml_normalize(%s)", "SELECT ml_features(%s)",
                 "SELECT * FROM ml_match_pattern(%s, min_confidence => 0)"):
        try:
            fuzz_conn.execute(call, (sql,)).fetchall()
        except psycopg.Error as error:
            assert error.sqlstate in EXPECTED, (call, sql, error)
            assert error.diag.message_primary.startswith("query_ml: "), error
    assert fuzz_conn.execute("SELECT pg_backend_pid()").fetchone()[0] == pid
