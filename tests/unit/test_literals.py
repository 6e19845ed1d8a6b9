"""Value slots and the canonical normalized text: one $n per scalar literal or whole list,
and a text that still parses to the same fingerprint."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pglast import parser

from query_ml import fingerprints, literals

from .fake_plpy import FakePlpy, raises_sql

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
    # Every spelling of a constant.
    ("SELECT N'abc', n'x', U&'d\\0061t' UESCAPE '\\', b'101', X'FF', E'a\\'b', $q$x$q$, 'a'\n'b', 1e3, .5, 0x1F",
     "SELECT NCHAR $1, NCHAR $2, $3, $4, $5, $6, $7, $8, $9, $10, $11"),
    ("SELECT true, false, null, -5, - 6.5, -(7), - -8, 100 - -7, 100 -5",
     "SELECT $1, $2, $3, $4, $5, $6, $7, $8 - $9, $10 -$11"),
    ("SELECT date'2024-02-29', interval '1' day, interval '2 hours', x::numeric('77') FROM t",
     "SELECT date $1, interval $2 day, interval $3, x::numeric($4) FROM t"),
    # Structure, not values: a type's size and a column's position stay.
    ("SELECT a::varchar(20), b::numeric(10, -2) FROM t GROUP BY 1, 2 ORDER BY 2 DESC, 1.5",
     "SELECT a::varchar(20), b::numeric(10, -2) FROM t GROUP BY 1, 2 ORDER BY 2 DESC, $1"),
    # Every statement kind that holds expressions.
    ("CREATE VIEW v AS SELECT * FROM t WHERE a = 'secret'", "CREATE VIEW v AS SELECT * FROM t WHERE a = $1"),
    ("CREATE TABLE x AS SELECT * FROM t WHERE a IN ('s', 't')", "CREATE TABLE x AS SELECT * FROM t WHERE a IN ($1)"),
    ("PREPARE p(text) AS SELECT * FROM t WHERE a = $1 AND b = 'secret'",
     "PREPARE p(text) AS SELECT * FROM t WHERE a = $1 AND b = $2"),
    ("EXECUTE p('secret', 42)", "EXECUTE p($1, $2)"),
    ("EXPLAIN (ANALYZE) SELECT * FROM t WHERE a = 'secret'", "EXPLAIN (ANALYZE) SELECT * FROM t WHERE a = $1"),
    ("ALTER SYSTEM SET work_mem = '256MB'", "ALTER SYSTEM SET work_mem = $1"),
    ("ALTER ROLE bob SET search_path = 'secret', 'public'", "ALTER ROLE bob SET search_path = $1, $2"),
    ("SET LOCAL work_mem TO 1024", "SET LOCAL work_mem TO $1"),
    ("SET enable_seqscan = off", "SET enable_seqscan = off"),
    ("CREATE INDEX ON t (a) WHERE note = 'secret'", "CREATE INDEX ON t (a) WHERE note = $1"),
    ("CREATE TABLE t (a text DEFAULT 'secret', b varchar(20) CHECK (b <> 'x'))",
     "CREATE TABLE t (a text DEFAULT $1, b varchar(20) CHECK (b <> $2))"),
    ("ALTER TABLE t ALTER COLUMN a SET DEFAULT 'secret'", "ALTER TABLE t ALTER COLUMN a SET DEFAULT $1"),
    ("DELETE FROM t WHERE a = -1 RETURNING 'x'", "DELETE FROM t WHERE a = $1 RETURNING $2"),
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


@pytest.mark.parametrize("sql", [
    "COPY t FROM '/home/secret.csv'", "COPY t TO STDOUT WITH (DELIMITER '|')", "COMMENT ON TABLE t IS 'secret'",
    "DO $$BEGIN PERFORM 'secret'; END$$", "CREATE ROLE bob PASSWORD 'secret'",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "CREATE TABLE t (a int) WITH (fillfactor = 70)",
    # A setting's bare word is a value too, and no $n fits where it stands.
    "SET myapp.tenant = secret_tenant", "ALTER ROLE bob SET search_path = 'x', secret", "SET TIME ZONE secret",
])
def test_a_statement_whose_values_cannot_be_parameters_is_refused(plpy, sql):
    with raises_sql("22023") as info:
        literals.canonical(plpy, sql)
    assert "cannot normalize" in str(info.value) and info.value.hint
    assert "secret" not in f"{info.value} {info.value.detail} {info.value.hint}"


def test_spellings_of_one_value_share_a_key(plpy):
    def keys(sql):
        return [slot.key for slot in literals.read(plpy, sql).slots]
    assert keys("SELECT 'S', 'a''b', 1, 42, 'x', null") \
        == keys("SELECT $$S$$, E'a\\'b', 1.0, '42', N'x', NULL") \
        == keys("SELECT $t$S$t$, U&'a\\0027b', 10e-1, 4.2e1, 'x'::char, null")
    assert keys("SELECT 'S'")[0] != keys("SELECT 's'")[0] and keys("SELECT 1")[0] != keys("SELECT 10")[0]


def no_literal_left(plpy, sql):
    """The canonical text keeps no literal but type sizes and column positions, keeps the fingerprint,
    and is its own canonical text (the row triggers normalize stored texts again)."""
    same_shape(plpy, sql)
    text = literals.canonical(plpy, sql)[0]
    assert literals.canonical(plpy, text)[0] == text
    fixed = {"20", "1"}
    left = [t for t in parser.scan(text) if t.name in literals.LITERAL_TOKENS and text[t.start:t.end + 1] not in fixed]
    assert left == [], (sql, text)
    assert all(slot.value not in text for slot in literals.read(plpy, sql).slots if slot.value and len(slot.value) > 3)


spelled = st.one_of(
    number, string,
    st.text(alphabet="ab'\\-/*$ ", max_size=8).map(lambda s: "E'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"),
    st.text(alphabet="ab'-/* ", max_size=8).map(lambda s: f"$q${s}$q$"),
    st.text(alphabet="ab' ", max_size=8).map(lambda s: "N'" + s.replace("'", "''") + "'"),
    st.integers(1, 10**6).map(lambda n: f"-({n})"),
)
wrapped = st.tuples(
    st.sampled_from(["{}", "CREATE VIEW v AS {}", "CREATE TABLE x AS {}", "PREPARE p AS {}", "EXPLAIN {}",
                     "CREATE INDEX ON t (a) WHERE a = {1}", "INSERT INTO t (a, b) VALUES ({1}, {1})",
                     "UPDATE t SET a = {1} WHERE b <> {1}", "ALTER TABLE t ALTER a SET DEFAULT {1}",
                     "EXECUTE p({1}, {1})", "SET work_mem = {1}", "ALTER SYSTEM SET work_mem = {1}"]),
    st.lists(spelled, min_size=2, max_size=2),
).map(lambda w: w[0].format(
    f"SELECT a::varchar(20), count(*) FROM t WHERE a = {w[1][0]} AND b > -{w[1][1].lstrip('-')} GROUP BY 1",
    *w[1]))


def parses(sql):
    try:
        return bool(parser.parse_sql(sql))
    except parser.ParseError:
        return False


@settings(max_examples=300, deadline=None)
@given(sql=wrapped.filter(parses))     # SET takes no N'' or E'' value
def test_no_statement_keeps_a_literal(sql):
    no_literal_left(FakePlpy(), sql)


def test_text_beyond_ascii_keeps_every_slot_in_place(plpy):
    # The parse tree counts bytes, the scanner characters.
    sql = "SELECT 'é€😀' FROM t WHERE a = 1 AND b IN ('ü', 'ß') AND c = N'Ω'"
    assert literals.canonical(plpy, sql)[0] == "SELECT $1 FROM t WHERE a = $2 AND b IN ($3) AND c = NCHAR $4"
    assert [u.context for u in literals.canonical(plpy, sql)[1]] == ["", "t.a:eq", "t.b:in", "t.c:eq"]
