"""The three roles: a user with none can do nothing, a reader cannot write, a writer cannot refine,
change settings or edit statistics."""
import re
import uuid

import psycopg
import pytest

from tests.conftest import ROOT

from .api import CALLS, NEEDS_PG_CRON, ROLES, populate

RANK = {role: n for n, role in enumerate(ROLES + ['superuser'])}


@pytest.fixture
def user(db):
    """A fresh login role, dropped afterwards; user(role) switches the connection to it."""
    name = f"u_{uuid.uuid4().hex[:10]}"
    db.execute(f"CREATE ROLE {name}")

    def become(role):
        db.execute("RESET ROLE")
        if role != "nobody":
            db.execute(f"GRANT query_ml_{role} TO {name}")
        db.execute(f"SET ROLE {name}")
        return db

    yield become
    db.execute("RESET ROLE")
    db.execute(f"DROP OWNED BY {name}")
    db.execute(f"DROP ROLE {name}")


def test_the_catalogue_covers_every_public_function(shared_db):
    public = {r[0] for r in shared_db.execute("""
        SELECT p.proname FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
          JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'query_ml'
         WHERE p.pronamespace <> 'query_ml'::regnamespace""")}
    assert public == {name for name, _, _ in CALLS}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_it_should_and_nothing_more(db, user, role):
    ids = populate(db)
    conn = user(role)
    if role in ("writer", "admin"):     # ml_track measures as the optimization's recorder
        ids["optimization"] = conn.execute(
            "SELECT ml_record_optimization('SELECT * FROM t WHERE a = 1', 'SELECT * FROM t WHERE a = 1 LIMIT 10', "
            "'rewrite', 20, source => 'eu')").fetchone()[0]
    if role == "writer":    # a writer corrects and deletes only its own feedback
        ids.update(feedback=conn.execute("SELECT feedback_id FROM ml_submit_feedback(%s, 10, 5)",
                                         (ids["optimization"],)).fetchone()[0],
                   spare=conn.execute("SELECT feedback_id FROM ml_submit_feedback(%s, 10, 6)",
                                      (ids["optimization"],)).fetchone()[0])
    for name, needed, sql in CALLS:
        allowed = RANK[role] >= RANK[needed]
        try:
            conn.execute(sql.format(**ids)).fetchall()
            outcome = "ok"
        except psycopg.Error as error:
            outcome = error.sqlstate
        expected = ("55000" if name in NEEDS_PG_CRON else "ok") if allowed else "42501"
        assert outcome == expected, (role, name)


WRITES_OF_AN_ADMIN = [
    "UPDATE query_ml.pattern_stats SET applications = applications + 1",
    "INSERT INTO query_ml.pattern_stats (pattern_id, shard, applications) VALUES ({pattern}, 15, 99)",
    "DELETE FROM query_ml.pattern_stats",
    "UPDATE query_ml.patterns SET status = 'retired'",
    "UPDATE query_ml.patterns SET calibrated_improvement = 99",
    "INSERT INTO query_ml.setting_values (name, value) VALUES ('confidence_threshold', '0.1')",
    "UPDATE query_ml.optimizations SET estimated_improvement = 99",
    "DELETE FROM query_ml.refinement_runs",
    "SELECT query_ml.recompute_pattern_stats()",
    "SELECT query_ml.compact_stats(ARRAY[{pattern}::bigint])",
    "SELECT * FROM query_ml.apply_status_rule(ARRAY[{pattern}::bigint])",
]


@pytest.mark.parametrize("statement", WRITES_OF_AN_ADMIN)
def test_a_writer_cannot_edit_statistics_or_settings_by_hand(db, user, statement):
    ids = populate(db)
    conn = user("writer")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement.format(**ids))


def test_a_reader_cannot_write_even_by_plain_sql(db, user):
    ids = populate(db)
    conn = user("reader")
    for statement in ("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                      f"VALUES ({ids['optimization']}, 1, 1)",
                      "DELETE FROM query_ml.feedback", "UPDATE query_ml.sources SET is_active = false"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


def test_writers_feedback_still_updates_the_statistics(db, user):
    ids = populate(db)
    conn = user("writer")
    conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                 "VALUES (%s, 10, 2)", (ids["optimization"],))
    assert conn.execute("SELECT applications FROM query_ml.pattern_totals WHERE pattern_id = %s",
                        (ids["pattern"],)).fetchone()[0] == 4
    assert conn.execute("SELECT * FROM ml_check_stats()").fetchall() == []


# Which role's code reaches each function, derived from the code itself -------------------------

PACKAGE = ROOT / "plpython" / "query_ml"
CALLED = re.compile(r"query_ml\.(\w+)\s*\(")
MODULE = re.compile(r"\bqml\.(\w+)\.")
IMPORTS = re.compile(r"^from \.(\w*) import ([\w, ()]+)", re.M)
# Tables whose triggers writers fire; the others only admins write.
WRITTEN_BY_WRITERS = {"sources", "patterns", "optimizations", "feedback"}


def python_text(body):
    """A PL/Python body with the source of every package module it can reach."""
    modules, todo = set(), MODULE.findall(body)
    while todo:
        name = todo.pop()
        path = PACKAGE / f"{name}.py"
        if name in modules or not path.exists():
            continue
        modules.add(name)
        for package, names in IMPORTS.findall(path.read_text()):
            todo += [package] if package else [n.strip() for n in names.strip("()").split(",")]
    return body + "".join((PACKAGE / f"{m}.py").read_text() for m in sorted(modules))


def derived_grants(conn):
    """{function: the least role that must execute it, or None} from the call graph: public
    functions by the API table, views by readers, triggers by who writes their table; a
    SECURITY DEFINER function's callees run as the owner and need nothing."""
    functions = {name: (body if lang != "plpython3u" else python_text(body), definer, trigger)
                 for name, body, lang, definer, trigger in conn.execute("""
        SELECT p.proname, pg_get_functiondef(p.oid), l.lanname, p.prosecdef, p.prorettype = 'trigger'::regtype
          FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
          JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
          JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'query_ml'""")}
    rank = {role: n for n, role in enumerate(ROLES)}
    need = {name: None for name in functions}

    def reach(name, role):
        if name not in need or (need[name] is not None and rank[need[name]] <= rank[role]):
            return
        need[name] = role
        body, definer, _ = functions[name]
        if not definer:
            for callee in CALLED.findall(body):
                reach(callee, role)

    for name, role, _ in CALLS:
        if role == "superuser":
            # Granted to admins so that they meet its own 42501; what it calls runs as a superuser.
            need[name] = "admin"
            reach("require_fleet_setup", "admin")
        else:
            reach(name, role)
    for (view,) in conn.execute("SELECT pg_get_viewdef(c.oid) FROM pg_class c "
                                "WHERE c.relnamespace = 'query_ml'::regnamespace AND c.relkind = 'v'"):
        for callee in CALLED.findall(view):
            reach(callee, "reader")
    for table, function in conn.execute("""
            SELECT c.relname, p.proname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
              JOIN pg_proc p ON p.oid = t.tgfoid WHERE c.relnamespace = 'query_ml'::regnamespace
               AND NOT t.tgisinternal"""):
        body, definer, _ = functions[function]
        if not definer:     # the trigger function itself needs no grant; what it calls does
            for callee in set(CALLED.findall(body)) - {function}:
                reach(callee, "writer" if table in WRITTEN_BY_WRITERS else "admin")
    return need


def test_each_function_is_granted_to_exactly_the_roles_that_need_it(shared_db):
    need = derived_grants(shared_db)
    granted = {}
    for name, grantee in shared_db.execute("""
            SELECT p.proname, a.grantee::regrole::text
              FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
              JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'query_ml',
                   aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
             WHERE a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'"""):
        granted.setdefault(name, set()).add("public" if grantee == "-" else grantee)
    expected = {name: {f"query_ml_{role}"} for name, role in need.items() if role is not None}
    assert {name: roles for name, roles in granted.items()} == expected
