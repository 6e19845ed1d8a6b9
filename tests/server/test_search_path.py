"""No function of the extension can be steered by the caller's search_path.

A hostile schema placed before pg_catalog holds functions, aggregates and operators with the
names and argument types the extension uses, and views named like its tables; each raises
'hijacked' when used.  Every public function must behave exactly as under a normal path."""
import psycopg
import pytest

from tests.conftest import FreshDatabase

from .api import CALLS, NEEDS_PG_CRON, populate, superuser_outcome

FUNCTIONS = [
    ("lower", "text", "text"), ("upper", "text", "text"), ("length", "text", "integer"),
    ("abs", "numeric", "numeric"), ("abs", "double precision", "double precision"), ("abs", "bigint", "bigint"),
    ("round", "numeric", "numeric"), ("round", "numeric, integer", "numeric"), ("round", "double precision", "double precision"),
    ("sqrt", "double precision", "double precision"), ("now", "", "timestamptz"), ("clock_timestamp", "", "timestamptz"),
    ("md5", "text", "text"), ("repeat", "text, integer", "text"), ("format", "text", "text"),
    ("current_setting", "text", "text"), ("current_setting", "text, boolean", "text"),
    ("set_config", "text, text, boolean", "text"), ("nextval", "regclass", "bigint"), ("pg_backend_pid", "", "integer"),
    ("pg_try_advisory_xact_lock", "bigint", "boolean"), ("jsonb_pretty", "jsonb", "text"),
    ("date_bin", "interval, timestamptz, timestamptz", "timestamptz"), ("obj_description", "oid, name", "text"),
    ("pg_has_role", "name, name, text", "boolean"), ("cardinality", "anyarray", "integer"),
    ("to_jsonb", "anyelement", "jsonb"), ("query_ml_setting", "text", "text"),
]
AGGREGATES = [("sum", "numeric", "numeric"), ("sum", "bigint", "numeric"), ("sum", "double precision", "double precision"),
              ("sum", "integer", "bigint"), ("avg", "numeric", "numeric"), ("avg", "double precision", "double precision"),
              ("max", "bigint", "bigint"), ("min", "timestamptz", "timestamptz"), ("max", "timestamptz", "timestamptz"),
              ("count", "*", "bigint"), ("array_agg", "bigint", "bigint[]")]
OPERATORS = [(op, t) for t in ("text", "integer", "bigint", "numeric", "double precision", "timestamptz")
             for op in ("=", "<>", "<", ">", "<=", ">=")] + \
            [(op, t) for t in ("integer", "bigint", "numeric", "double precision") for op in ("+", "-", "*", "/")] + \
            [("||", "text"), ("~~", "text"), ("&&", "integer[]")]
RELATIONS = ["patterns", "pattern_stats", "pattern_totals", "pattern_matches", "pattern_overview", "optimizations",
             "feedback", "feedback_details", "sources", "settings", "setting_values", "setting_definitions",
             "refinement_runs", "type_calibration"]


def arm(conn, operators=True):
    conn.execute("CREATE SCHEMA evil")
    conn.execute("CREATE FUNCTION evil.boom() RETURNS integer LANGUAGE plpgsql AS "
                 "$$ BEGIN RAISE EXCEPTION 'hijacked'; END $$")
    for name in RELATIONS:
        conn.execute(f"CREATE VIEW evil.{name} AS SELECT evil.boom() AS hijacked")
        conn.execute(f"CREATE TEMP VIEW {name} AS SELECT evil.boom() AS hijacked")
    if not operators:
        return
    for name, args, result in FUNCTIONS:
        typed = ", ".join(f"a{i} {t.strip()}" for i, t in enumerate(args.split(",")) if t.strip())
        conn.execute(f"CREATE FUNCTION evil.{name}({typed}) RETURNS {result} LANGUAGE plpgsql AS "
                     f"$$ BEGIN RAISE EXCEPTION 'hijacked {name}'; END $$")
    for name, arg, result in AGGREGATES:
        state = f"evil.agg_{name}_{arg.replace(' ', '_').replace('*', 'star')}"
        inputs = "" if arg == "*" else f", v {arg}"
        conn.execute(f"CREATE FUNCTION {state}(s {result}{inputs}) RETURNS {result} LANGUAGE plpgsql AS "
                     f"$$ BEGIN RAISE EXCEPTION 'hijacked {name}'; END $$")
        conn.execute(f"CREATE AGGREGATE evil.{name}({arg}) (sfunc = {state}, stype = {result})")
    for n, (op, typ) in enumerate(OPERATORS):
        conn.execute(f"CREATE FUNCTION evil.op{n}(a {typ}, b {typ}) RETURNS boolean LANGUAGE plpgsql AS "
                     f"$$ BEGIN RAISE EXCEPTION 'hijacked operator {op}'; END $$")
        conn.execute(f"CREATE OPERATOR evil.{op} (LEFTARG = {typ}, RIGHTARG = {typ}, FUNCTION = evil.op{n})")


def run_all(conn, ids, skip=()):
    outcomes = {}
    for name, _, sql in CALLS:
        if name in skip:
            continue
        try:
            outcomes[name] = ("ok", conn.execute(sql.format(**ids)).fetchall() if "ml_track" != name else None)
        except psycopg.Error as error:
            outcomes[name] = (error.sqlstate, str(error).splitlines()[0])
    return outcomes


# Calls whose result depends only on their arguments: the same under either path.  (The others
# read data that the first run's writing calls changed.)
PURE = {"ml_fingerprint", "ml_normalize", "ml_signature", "ml_features", "ml_parser_version", "ml_apply_pattern",
        "ml_check_stats"}


def test_the_trap_catches_unqualified_sql(db):
    arm(db)
    db.execute("SET search_path = evil, pg_catalog, public")
    with pytest.raises(psycopg.Error, match="hijacked"):
        db.execute("SELECT lower('X')")
    with pytest.raises(psycopg.Error, match="hijacked"):
        db.execute("SELECT 1 = 1")
    with pytest.raises(psycopg.Error, match="hijacked"):
        db.execute("SELECT * FROM patterns")


def test_no_function_of_the_extension_is_steered(server):
    with FreshDatabase(server) as first, first.connect() as plain:
        ids = populate(plain)
        expected = run_all(plain, ids)
    with FreshDatabase(server) as second, second.connect() as hostile:
        assert populate(hostile) == ids
        arm(hostile)
        hostile.execute("SET search_path = evil, pg_catalog, public")
        # The caller's own query is measured under the caller's own path; that is ml_track's promise.
        got = run_all(hostile, ids, skip={"ml_track"})
    for name, (status, detail) in got.items():
        assert "hijacked" not in str(detail), name
        want = superuser_outcome(name)
        assert status == want, (name, detail)
        if name in PURE:
            assert (status, detail) == expected[name], name


def test_ml_tracks_own_statements_are_not_steered(db):
    ids = populate(db)
    arm(db, operators=False)         # only the look-alike tables and views: the measured query stays legal
    db.execute("SET search_path = evil, pg_catalog, public")
    row = db.execute("SELECT measured_by FROM ml_track(%s, runs => 1, sql => 'SELECT * FROM t WHERE a = 3')",
                     (ids["optimization"],)).fetchone()
    assert row == ("ml_track",)
