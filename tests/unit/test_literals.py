"""Value slots and the canonical normalized text: one $n per scalar literal or whole list,
and a text that still parses to the same fingerprint."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pglast import parser

from query_ml import fingerprints, literals

from .fake_plpy import FakePlpy

CASES = [
    ("SELECT * FROM t WHERE a BETWEEN 5 AND 10 AND b IS NULL",
     "SELECT * FROM t WHERE a BETWEEN $1 AND $2 AND b IS NULL"),
    ("SELECT * FROM t WHERE a NOT BETWEEN 5 AND 10", "SELECT * FROM t WHERE a NOT BETWEEN $1 AND $2"),
    ("SELECT * FROM t WHERE a BETWEEN SYMMETRIC 5 AND 10 ORDER BY 1 LIMIT 3",
     "SELECT * FROM t WHERE a BETWEEN SYMMETRIC $1 AND $2 ORDER BY 1 LIMIT $3"),
    ("SELECT * FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x') AND c = ANY(ARRAY[1, 2])",
     "SELECT * FROM t WHERE a IN ($1) AND b NOT IN ($2) AND c = ANY(ARRAY[$3])"),
    ("SELECT * FROM t WHERE d > DATE '2024-02-29' AND e < now() - interval '1 day' AND f = -5.5",
     "SELECT * FROM t WHERE d > DATE $1 AND e < now() - interval $2 AND f = $3"),
    ("SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END FROM t WHERE s LIKE 'ab%' OFFSET 10",
     "SELECT CASE WHEN a > $1 THEN $2 ELSE $3 END FROM t WHERE s LIKE $4 OFFSET $5"),
    ("UPDATE t SET a = 1, b = 'x' WHERE id IN (SELECT id FROM u WHERE v BETWEEN 1 AND 2)",
     "UPDATE t SET a = $1, b = $2 WHERE id IN (SELECT id FROM u WHERE v BETWEEN $3 AND $4)"),
    ("INSERT INTO t (a, b) VALUES (1, 'x')", "INSERT INTO t (a, b) VALUES ($1, $2)"),
    ("SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))", "SELECT * FROM t WHERE (a, b) IN (($1, $2), ($3, $4))"),
]


@pytest.mark.parametrize("sql, expected", CASES)
def test_canonical_text(plpy, sql, expected):
    assert literals.canonical(plpy, sql)[0] == expected


def same_shape(plpy, sql):
    """The canonical text parses and keeps the query's fingerprint (or the query does not parse)."""
    text = literals.canonical(plpy, sql)[0]
    parser.parse_sql(text)
    assert fingerprints.fingerprint(plpy, text) == fingerprints.fingerprint(plpy, sql), (sql, text)


@pytest.mark.parametrize("sql", [sql for sql, _ in CASES])
def test_canonical_text_keeps_the_fingerprint(plpy, sql):
    same_shape(plpy, sql)


def test_every_real_query_keeps_its_fingerprint(plpy, corpora):
    queries = [path for path in sorted((corpora / "job").glob("*.sql")) + sorted((corpora / "tpch").rglob("*.sql"))
               if path.name != "schema.sql"]
    assert len(queries) > 130
    for path in queries:
        same_shape(plpy, path.read_text())


number = st.one_of(st.integers(-10**6, 10**6).map(str), st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}"))
string = st.text(alphabet="abcxyz%_' ", max_size=8).map(lambda s: "'" + s.replace("'", "''") + "'")
literal = st.one_of(number, string, st.sampled_from(["DATE '2024-02-29'", "interval '1 day'", "NULL", "true"]))
column = st.sampled_from(["a", "t.b", "c"])
predicate = st.one_of(
    st.tuples(column, st.sampled_from(["=", "<>", "<", ">=", "LIKE"]), literal).map(" ".join),
    st.tuples(column, st.sampled_from(["BETWEEN", "NOT BETWEEN", "BETWEEN SYMMETRIC"]), literal, literal)
      .map(lambda p: f"{p[0]} {p[1]} {p[2]} AND {p[3]}"),
    st.tuples(column, st.sampled_from(["IN", "NOT IN"]), st.lists(literal, min_size=1, max_size=4))
      .map(lambda p: f"{p[0]} {p[1]} ({', '.join(p[2])})"),
    st.tuples(column, st.lists(number, min_size=1, max_size=3)).map(lambda p: f"{p[0]} = ANY(ARRAY[{', '.join(p[1])}])"),
    column.map(lambda c: f"{c} IS NULL"),
)
query = st.tuples(st.lists(predicate, min_size=1, max_size=5), st.sampled_from([" AND ", " OR "]),
                  st.sampled_from(["", " ORDER BY 1", " LIMIT 10", " ORDER BY a LIMIT 5 OFFSET 2"])) \
    .map(lambda q: f"SELECT count(*) FROM t WHERE {q[1].join(q[0])}{q[2]}")


@settings(max_examples=300, deadline=None)
@given(sql=query)
def test_any_query_keeps_its_fingerprint(sql):
    same_shape(FakePlpy(), sql)
