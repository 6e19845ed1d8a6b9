"""ml_apply_pattern against the real server: whatever values a query holds, the applied
rewrite is the pattern's, with those values, and returns what the query returns."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FreshDatabase

ORIGINAL = "SELECT id FROM orders WHERE id > 100 -5 AND status = 'paid' AND note <> 'x' AND total*2 < 7000"
REWRITE = ("SELECT id FROM orders WHERE note <> 'x' AND total*2 < 7000 AND status = 'paid' AND id > 100 -5 "
           "ORDER BY id")
QUERY = "SELECT id FROM orders WHERE id > {} - {} AND status = {} AND note <> {} AND total*{} < {}"


@pytest.fixture(scope="module")
def orders(server):
    with FreshDatabase(server) as fresh, fresh.connect() as conn:
        conn.execute("CREATE TABLE orders (id int, status text, note text, total numeric)")
        conn.execute("INSERT INTO orders SELECT g, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'open' END, 'n' || g % 5, g "
                     "FROM generate_series(1, 300) g")
        pattern = conn.execute("SELECT ml_store_pattern(%s, 'rewrite', %s)", (ORIGINAL, REWRITE)).fetchone()[0]
        yield conn, pattern


def number(n, style):
    return f"- {-n}" if n < 0 and style else str(n)


def string(text, style):
    if style == 1:
        return "E'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if style == 2 and "$" not in text:
        return f"$q${text}$q$"
    return "'" + text.replace("'", "''") + "'"


texts = st.one_of(st.text(alphabet="'\"\\-/*$ ab\nn0123", max_size=10), st.sampled_from(["paid", "open", "n1", "n2"]),
                  st.integers(1, 2000).map(lambda n: "'-- /*$$\\" * n))
bounds = st.one_of(st.integers(-400, 400), st.integers(-10**15, 10**15))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(a=bounds, b=bounds, status=texts, note=texts, factor=st.integers(-3, 3), limit=bounds,
       styles=st.lists(st.integers(0, 2), min_size=6, max_size=6))
def test_an_applied_rewrite_returns_what_the_query_returns(orders, a, b, status, note, factor, limit, styles):
    conn, pattern = orders
    query = QUERY.format(number(a, styles[0]), number(b, styles[1]), string(status, styles[2]),
                         string(note, styles[3]), number(factor, styles[4]), number(limit, styles[5]))
    applied = conn.execute("SELECT ml_apply_pattern(%s, %s)", (pattern, query)).fetchone()[0]
    # The pattern's statement: the same normalized text, but for white space.
    normalized = conn.execute("SELECT ml_normalize(%s), ml_normalize(%s)", (applied, REWRITE)).fetchone()
    assert "".join(normalized[0].split()) == "".join(normalized[1].split()), (query, applied)
    # And the query's rows: a predicate lost to a comment would return others.
    expected = [r[0] for r in conn.execute(f"SELECT id FROM ({query}) q ORDER BY id")]
    assert [r[0] for r in conn.execute(applied)] == expected, (query, applied)
