"""The trust boundary, attacked as a role holding only query_ml_writer (or query_ml_reader) would.

Each test replays one attack against a real server with real login roles and checks that it
fails and leaves no row, lock, file or setting behind.  The numbers are the items of the
security review that found them (issue 10)."""
import os
import uuid

import psycopg
import pytest
from .triggers import past_the_triggers

SHOP = "SELECT * FROM orders WHERE customer_id = 42"


@pytest.fixture
def shop(fresh_db):
    """(dba, writer, reader, make): superuser and login roles on a database with an orders table;
    make(role) opens another connection as that role."""
    server, opened, roles = fresh_db.server, [], {}
    with fresh_db.connect() as dba:
        dba.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer_id int, status text, note text)")
        dba.execute("INSERT INTO orders (customer_id, status, note) "
                    "SELECT g % 100, 'open', 'n' FROM generate_series(1, 5000) g")
        dba.execute("CREATE TABLE payroll (name text, salary int)")
        dba.execute("INSERT INTO payroll VALUES ('alice', 250000)")
        for kind in ("writer", "reader"):
            name = roles[kind] = f"atk_{kind}_{uuid.uuid4().hex[:8]}"
            dba.execute(f"CREATE ROLE {name} LOGIN IN ROLE query_ml_{kind}")
            dba.execute(f"GRANT SELECT ON orders TO {name}")
        dba.execute(f"GRANT CREATE ON DATABASE {fresh_db.name} TO {roles['writer']}")

        def make(kind):
            conn = psycopg.connect(host=server.host, port=server.port, user=roles[kind], dbname=fresh_db.name,
                                   autocommit=True)
            opened.append(conn)
            return conn

        yield dba, make("writer"), make("reader"), make
        for conn in opened:
            conn.close()
        dba.execute("DROP TABLE IF EXISTS public.orders, public.payroll CASCADE")
        for name in roles.values():
            dba.execute(f"DROP OWNED BY {name} CASCADE")
            dba.execute(f"DROP ROLE {name}")


def counts(conn):
    return conn.execute("""SELECT (SELECT count(*) FROM query_ml.patterns), (SELECT count(*) FROM query_ml.optimizations),
                                  (SELECT count(*) FROM query_ml.feedback)""").fetchone()


def record_index(conn):
    """An index optimization recorded by conn's role; its id."""
    return conn.execute("SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 60)",
                        (SHOP,)).fetchone()[0]


def sqlstate(conn, sql, *args):
    try:
        cursor = conn.execute(sql, args or None)
        if cursor.description:
            cursor.fetchall()
    except psycopg.Error as error:
        return error.sqlstate
    return "ok"


@pytest.fixture
def evil_program(tmp_path):
    """A shell command that would leave a file behind, and the file's path."""
    target = f"/tmp/qml-attack-{uuid.uuid4().hex}"
    yield f"COPY (SELECT name, salary FROM public.payroll) TO PROGRAM 'cat > {target}'", target
    assert not os.path.exists(target), "the attacker's program ran"


# 1. Code runs as the measuring role --------------------------------------------------------------

def plant_function(writer, body):
    writer.execute("CREATE SCHEMA IF NOT EXISTS w")
    writer.execute(f"CREATE OR REPLACE FUNCTION w.steal(x int) RETURNS int LANGUAGE plpgsql AS $$ "
                   f"BEGIN {body}; RETURN x; END $$")


def steal_program(writer, program):
    """The writer's trap: a function that sends a private table to a program when it can."""
    plant_function(writer, f"EXECUTE $q${program}$q$")


def test_1_a_writers_rewrite_runs_with_the_writers_rights_only(shop, evil_program):
    dba, writer, _, _ = shop
    program, _ = evil_program
    steal_program(writer, program)
    original = "SELECT * FROM orders WHERE customer_id = w.steal(42)"
    optimized = original + " ORDER BY id"
    opt = writer.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 50)", (original, optimized)).fetchone()[0]
    before = counts(dba)
    # Stored text, or the same text passed by the superuser as the hint suggests: either way the
    # measurement runs as the writer who recorded it, who may not run a program.
    for extra in ({}, {"optimized": optimized}):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as error:
            dba.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s, optimized => %s)",
                        (opt, original, extra.get("optimized")))
        assert "pg_execute_server_program" in error.value.diag.message_primary
    assert counts(dba) == before


def test_1_a_trap_in_a_writers_view_runs_with_the_writers_rights(shop, evil_program):
    """No foreign function in sight: a view named like the superuser's schema hides it."""
    dba, writer, _, _ = shop
    program, _ = evil_program
    steal_program(writer, program)
    me = dba.execute("SELECT current_user").fetchone()[0]
    writer.execute(f'CREATE SCHEMA "{me}"')
    writer.execute(f'CREATE VIEW "{me}".orders AS SELECT id, w.steal(customer_id) AS customer_id, status '
                   'FROM public.orders')
    writer.execute(f'GRANT USAGE ON SCHEMA "{me}", w TO PUBLIC')
    writer.execute(f'GRANT SELECT ON "{me}".orders TO PUBLIC')
    opt = writer.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 50)",
                         ("SELECT id, status FROM orders WHERE customer_id = 7",
                          "SELECT id, status FROM orders WHERE customer_id = 7 ORDER BY id")).fetchone()[0]
    # As the writer, "$user" is the writer's own name: the query reads public.orders and the
    # trap never runs; had it run, it would have had the writer's rights (evil_program checks).
    dba.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s, optimized => %s)",
                (opt, "SELECT id, status FROM orders WHERE customer_id = 7",
                 "SELECT id, status FROM orders WHERE customer_id = 7 ORDER BY id"))
    assert dba.execute("SELECT submitted_by = current_user FROM query_ml.feedback").fetchone() == (True,)


def test_1_a_writers_index_expression_runs_with_the_writers_rights(shop, evil_program):
    dba, writer, _, _ = shop
    program, _ = evil_program
    steal_program(writer, program)
    writer.execute("ALTER FUNCTION w.steal(int) IMMUTABLE")
    original = "SELECT * FROM orders WHERE w.steal(customer_id) = 42"     # the index may call what it calls
    index = "CREATE INDEX ON orders ((w.steal(customer_id)))"
    opt = writer.execute("SELECT ml_record_optimization(%s, %s, 'index', 50)", (original, index)).fetchone()[0]
    with pytest.raises(psycopg.Error):      # its COPY refused where it runs, as the writer
        dba.execute("SELECT * FROM ml_track(%s, sql => %s, optimized => %s)", (opt, original, index))
    assert dba.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == 0


@pytest.mark.parametrize("escape", ["RESET ROLE", "SET ROLE NONE", "SET ROLE postgres",
                                    "SET SESSION AUTHORIZATION DEFAULT",
                                    "PERFORM set_config('role', 'none', true)"])
def test_1_measured_code_cannot_take_back_the_callers_role(shop, evil_program, escape):
    """The measured code runs as its recorder and cannot SET ROLE back to the session's user."""
    dba, writer, _, _ = shop
    program, _ = evil_program
    plant_function(writer, f"{escape}; EXECUTE $q${program}$q$")
    original = "SELECT * FROM orders WHERE customer_id = w.steal(42)"
    opt = writer.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 50)",
                         (original, original + " ORDER BY id")).fetchone()[0]
    with pytest.raises(psycopg.Error) as error:
        dba.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s)", (opt, original))
    assert error.value.sqlstate in ("42501", "0A000", "22023", "42704"), error.value
    assert dba.execute("SELECT current_user = session_user").fetchone() == (True,)
    assert dba.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == 0


def test_1_measured_code_runs_as_its_recorder(shop):
    dba, writer, _, _ = shop
    writer.execute("CREATE SCHEMA w")
    writer.execute("CREATE FUNCTION w.whoami(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
                   "RAISE NOTICE 'measured as %', current_user; RETURN x; END $$")
    writer.execute("GRANT USAGE ON SCHEMA w TO PUBLIC")
    original = "SELECT * FROM orders WHERE customer_id = (SELECT w.whoami(42))"
    opt = writer.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 50)",
                         (original, original + " ORDER BY id")).fetchone()[0]
    notices = []
    dba.add_notice_handler(lambda diag: notices.append(diag.message_primary))
    dba.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s)", (opt, original))
    me = writer.execute("SELECT current_user").fetchone()[0]
    assert set(notices) == {f"measured as {me}"}
    assert dba.execute("SELECT submitted_by = current_user FROM query_ml.feedback").fetchone() == (True,)


def test_1_a_writers_optimization_cannot_be_measured_by_another_writer(shop, fresh_db):
    dba, writer, _, make = shop
    opt = record_index(writer)
    other = f"atk_other_{uuid.uuid4().hex[:8]}"
    dba.execute(f"CREATE ROLE {other} LOGIN IN ROLE query_ml_writer")
    try:
        with psycopg.connect(host=dba.info.host, port=dba.info.port, user=other, dbname=dba.info.dbname,
                             autocommit=True) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as error:
                conn.execute("SELECT * FROM ml_track(%s, sql => %s)", (opt, SHOP))
            assert "you may not act as that role" in error.value.diag.message_primary
    finally:
        dba.execute(f"DROP ROLE {other}")


def test_1_a_pattern_stored_by_another_role_needs_its_text_passed(shop, evil_program):
    """The superuser's own optimization, but the stored text that would run is the writer's."""
    dba, writer, _, _ = shop
    program, _ = evil_program
    steal_program(writer, program)
    original = "SELECT * FROM orders WHERE customer_id = w.steal(42)"
    writer.execute("SELECT ml_store_pattern(%s, 'rewrite', %s)", (original, original + " ORDER BY id"))
    opt = dba.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 50)",
                      (original, original + " ORDER BY id")).fetchone()[0]
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as error:
        dba.execute("SELECT * FROM ml_track(%s, sql => %s)", (opt, original))
    assert "optimized =>" in error.value.diag.message_hint


@pytest.mark.parametrize("ddl", [
    "COPY (SELECT * FROM public.payroll) TO PROGRAM 'cat > /tmp/qml-attack-insert'",
    "COPY public.payroll FROM '/etc/passwd'",
    "DO $$BEGIN PERFORM 1; END$$",
    "CALL w.p()",
    "ALTER TABLE orders DROP COLUMN note",
    "DROP TABLE orders",
    "CLUSTER orders",
    "VACUUM orders",
    "SELECT 1",
])
def test_1_an_index_pattern_holds_only_create_index_or_statistics_on_any_path(shop, ddl):
    dba, writer, _, _ = shop
    before = counts(dba)
    assert sqlstate(writer, "SELECT ml_store_pattern(%s, 'index', %s)", SHOP, ddl) in ("22023", "42601")
    assert sqlstate(writer, "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template) "
                            "VALUES (%s, 'index', %s)", SHOP, ddl) in ("22023", "42601")
    # Not even a superuser writing the table directly stores one.
    assert sqlstate(dba, "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template) "
                         "VALUES (%s, 'index', %s)", SHOP, ddl) in ("22023", "42601")
    assert counts(dba) == before


@pytest.mark.parametrize("kind, text, state", [
    ("setting", "ALTER TABLE orders SET (fillfactor = 50)", "22023"),
    ("setting", "SET ROLE postgres", "22023"),
    ("setting", "SET search_path = w, public", "22023"),
    ("setting", "SET session_authorization = postgres", "22023"),
    ("rewrite", "DELETE FROM orders WHERE customer_id = 42", "22023"),
    ("rewrite", "WITH d AS (DELETE FROM orders RETURNING id) SELECT * FROM orders WHERE customer_id = 42", "22023"),
    ("rewrite", "SELECT * INTO public.stolen FROM orders WHERE customer_id = 42", "22023"),
    ("rewrite", "SELECT *, lo_export(1, '/tmp/x') FROM orders WHERE customer_id = 42", "22023"),
    ("rewrite", "SELECT *, pg_terminate_backend(1) FROM orders WHERE customer_id = 42", "22023"),
    ("rewrite", "SELECT *, w.steal(1) FROM orders WHERE customer_id = 42", "22023"),
    ("hint", "/*+ SeqScan(orders) */ SELECT * FROM orders WHERE customer_id = 42 FOR UPDATE", "22023"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id OPERATOR(w.===) 42", "22023"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND EXISTS (SELECT 1 FROM w.customers)", "22023"),
    ("rewrite", "SELECT *, table_to_xml('w.customers', true, true, '') FROM orders WHERE customer_id = 42", "22023"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42::w.money_type", "22023"),
    # Third review: names that the caller's search_path could resolve to a writer's objects.
    ("rewrite", "SELECT * FROM orders WHERE lower(customer_id) = 42", "22023"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42::idd", "22023"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id =~= 42", "22023"),
    ("rewrite", "SELECT o.* FROM orders o WHERE o.customer_id = 42 AND o.evil", "22023"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND json_value('{}'::jsonb, '$') IS NULL", "22023"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 UNION ALL SELECT * FROM "
                "(WITH secret AS (SELECT 1) SELECT 1) s, secret", "22023"),
    ("index", "CREATE INDEX ON payroll (name)", "22023"),
    ("index", "CREATE INDEX ON orders (w.leak(note))", "22023"),
    ("index", "CREATE INDEX ON orders (lower(note))", "22023"),
    ("setting", "RESET ALL", "22023"),
    ("setting", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "22023"),
    ("setting", "SET TRANSACTION READ WRITE", "22023"),
    ("rewrite", "SELECT 1; DELETE FROM orders", "42601"),
    ("hint", "UPDATE orders SET note = 'x' WHERE customer_id = 42", "22023"),
])
def test_1_each_type_accepts_only_the_statements_it_names(shop, kind, text, state):
    dba, writer, _, _ = shop
    assert sqlstate(writer, "SELECT ml_store_pattern(%s, %s, %s)", SHOP, kind, text) == state
    assert sqlstate(writer, "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template) "
                            "VALUES (%s, %s, %s)", SHOP, kind, text) == state
    assert counts(dba) == (0, 0, 0)


@pytest.mark.parametrize("optimized", [
    "SELECT id, pg_catalog.lower(status) FROM orders WHERE customer_id = 42",     # written where no other can answer
    "SELECT id FROM orders WHERE customer_id = 42 ORDER BY id LIMIT 5",
    "WITH mine AS (SELECT * FROM orders WHERE customer_id = 42) SELECT * FROM mine",
    "SELECT * FROM orders WHERE customer_id = 42 AND status <> 'x'::text",
    "SELECT * FROM orders o WHERE o.customer_id = 42 ORDER BY o.id",
])
def test_1_a_rewrite_may_use_what_no_other_schema_can_answer_for(shop, optimized):
    assert sqlstate(shop[1], "SELECT ml_store_pattern(%s, 'rewrite', %s)", SHOP, optimized) == "ok"


def test_1_stored_but_never_run_settings(shop):
    dba, _, _, _ = shop
    opt = dba.execute("SELECT ml_record_optimization(%s, 'ALTER SYSTEM SET work_mem = ''1GB''', 'setting', 5)",
                      (SHOP,)).fetchone()[0]
    assert sqlstate(dba, "SELECT * FROM ml_track(%s, sql => %s)", opt, SHOP) == "0A000"


# 2. Learning data forged in plain SQL -------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template, calibrated_improvement) "
    "VALUES ('SELECT * FROM orders WHERE id = $1', 'index', 'CREATE INDEX ON orders (id)', 99.9)",
    "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template, status) "
    "VALUES ('SELECT * FROM orders WHERE id = $1', 'index', 'CREATE INDEX ON orders (id)', 'active')",
    "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template, created_by) "
    "VALUES ('SELECT * FROM orders WHERE id = $1', 'index', 'CREATE INDEX ON orders (id)', 'postgres')",
    "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template, fingerprint) "
    "VALUES ('SELECT * FROM orders WHERE id = $1', 'index', 'CREATE INDEX ON orders (id)', '0123456789abcdef')",
    "UPDATE query_ml.patterns SET calibrated_improvement = 99.9",
    "UPDATE query_ml.patterns SET status = 'active'",
    "UPDATE query_ml.patterns SET optimized_template = 'CREATE INDEX ON orders (note)'",
    "INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, estimated_improvement, created_by) "
    "SELECT {pattern}, {source}, 'SELECT * FROM orders WHERE customer_id = $1', 5, 'postgres'",
    "UPDATE query_ml.optimizations SET pattern_id = pattern_id",
    "INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, submitted_by) "
    "VALUES ({optimization}, 100, 1, 'postgres')",
    "INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, created_at) "
    "VALUES ({optimization}, 100, 1, '2020-01-01')",
    "INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, measured_by) "
    "VALUES ({optimization}, 100, 1, 'ml_track')",
    "UPDATE query_ml.feedback SET measured_by = 'ml_track'",
    "UPDATE query_ml.feedback SET submitted_by = 'postgres'",
    "UPDATE query_ml.feedback SET after_execution_ms = 1 WHERE measured_by = 'ml_track'",
    "UPDATE query_ml.sources SET is_active = false, retired_at = now()",
    "INSERT INTO query_ml.sources (name, is_active, retired_at) VALUES ('x', false, now())",
    "SELECT query_ml.store_measurement('0123456789abcdef0123456789abcdef')",
    "SELECT query_ml.apply_status_rule(ARRAY[{pattern}::bigint])",
    "SELECT ml_retire_source('local')",
    "SELECT ml_set_pattern_status({pattern}, 'active')",
])
def test_2_a_writer_cannot_forge_provenance_or_derived_values(shop, statement):
    dba, writer, _, _ = shop
    opt = record_index(dba)
    dba.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s)", (opt, SHOP))
    ids = dict(zip(("optimization", "pattern", "source"), dba.execute(
        "SELECT id, pattern_id, source_id FROM query_ml.optimizations WHERE id = %s", (opt,)).fetchone()))
    snapshot = "SELECT (SELECT array_agg(p::text ORDER BY id) FROM query_ml.patterns p), " \
               "(SELECT array_agg(f::text ORDER BY id) FROM query_ml.feedback f), " \
               "(SELECT array_agg(s::text ORDER BY id) FROM query_ml.sources s)"
    before = dba.execute(snapshot).fetchone()
    assert sqlstate(writer, statement.format(**ids)) == "42501"
    assert dba.execute(snapshot).fetchone() == before


def test_2_a_writer_changes_only_the_rows_it_wrote(shop):
    dba, writer, _, _ = shop
    opt = dba.execute("SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 60, "
                      "description => 'the dba''s')", (SHOP,)).fetchone()[0]
    dba.execute("SELECT * FROM ml_submit_feedback(%s, 100, 50, rating => 4)", (opt,))
    dba.execute("SELECT ml_register_source('eu', description => 'the dba''s')")
    snapshot = ("SELECT (SELECT array_agg(f::text) FROM query_ml.feedback f), (SELECT array_agg(p.description) "
                "FROM query_ml.patterns p), (SELECT array_agg(s::text ORDER BY id) FROM query_ml.sources s)")
    before = dba.execute(snapshot).fetchone()
    for statement in ("UPDATE query_ml.feedback SET after_execution_ms = 1",
                      "UPDATE query_ml.feedback SET rating = 1, comment = 'tampered'",
                      "DELETE FROM query_ml.feedback",
                      "SELECT * FROM ml_update_feedback((SELECT max(id) FROM query_ml.feedback), rating => 1)",
                      "SELECT ml_delete_feedback((SELECT max(id) FROM query_ml.feedback))",
                      "UPDATE query_ml.patterns SET description = 'mallory was here'",
                      "UPDATE query_ml.sources SET description = 'mallory was here'",
                      "SELECT ml_register_source('eu', description => 'mallory was here')"):
        assert sqlstate(writer, statement) == "42501", statement
    # Storing the same pattern again leaves another role's description alone.
    writer.execute("SELECT ml_store_pattern(%s, 'index', 'CREATE INDEX ON orders (customer_id)', "
                   "description => 'mallory')", (SHOP,))
    assert dba.execute(snapshot).fetchone() == before
    # Its own rows it may change.
    mine = record_index(writer)
    fid = writer.execute("SELECT feedback_id FROM ml_submit_feedback(%s, 100, 50)", (mine,)).fetchone()[0]
    assert sqlstate(writer, f"SELECT * FROM ml_update_feedback({fid}, rating => 2)") == "ok"
    assert sqlstate(writer, f"SELECT ml_delete_feedback({fid})") == "ok"
    assert dba.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_2_a_writer_cannot_reactivate_a_retired_source(shop):
    dba, writer, _, _ = shop
    dba.execute("SELECT ml_register_source('eu'), ml_retire_source('eu')")
    assert sqlstate(writer, "SELECT ml_register_source('eu')") == "42501"
    assert sqlstate(writer, "SELECT ml_store_pattern(%s, 'index', 'CREATE INDEX ON orders (id)', source => 'eu')",
                    SHOP) == "55000"
    assert dba.execute("SELECT is_active FROM query_ml.sources WHERE name = 'eu'").fetchone()[0] is False


def test_2_plain_inserts_get_the_servers_provenance_and_derived_values(shop):
    dba, writer, _, _ = shop
    me = writer.execute("SELECT current_user").fetchone()[0]
    # Literals in a plain INSERT are normalized; the fingerprint and keys are computed.
    pattern = writer.execute("""
        INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template)
        VALUES ('SELECT * FROM orders WHERE customer_id = 4242 AND note = ''secret''', 'index',
                'CREATE INDEX ON orders (customer_id) WHERE note = ''secret''')
        RETURNING id, normalized_query, fingerprint, created_by, status, calibrated_improvement""").fetchone()
    assert pattern[1] == "SELECT * FROM orders WHERE customer_id = $1 AND note = $2"
    assert pattern[2] == dba.execute("SELECT ml_fingerprint(%s)", (SHOP,)).fetchone()[0] or len(pattern[2]) == 16
    assert pattern[3] == me and pattern[4] == "active" and pattern[5] is None
    assert "secret" not in str(dba.execute("SELECT p::text FROM query_ml.patterns p").fetchall())
    source = dba.execute("SELECT ml_register_source('local')").fetchone()[0]
    opt = writer.execute("""
        INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, estimated_improvement)
        VALUES (%s, %s, 'SELECT * FROM orders WHERE customer_id = 7 AND note = ''hidden''', 10)
        RETURNING id, original_query, created_by""", (pattern[0], source)).fetchone()
    assert opt[1] == "SELECT * FROM orders WHERE customer_id = $1 AND note = $2" and opt[2] == me
    # An original of another shape does not fit the pattern.
    assert sqlstate(writer, "INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, "
                            "estimated_improvement) VALUES (%s, %s, 'SELECT 1', 10)", pattern[0], source) == "22023"
    with writer.cursor() as cur, cur.copy("COPY query_ml.feedback (optimization_id, before_execution_ms, "
                                          "after_execution_ms, measured_by) FROM STDIN") as copy:
        copy.write_row((opt[0], 100, 50, "import"))
    row = dba.execute("SELECT submitted_by, measured_by, created_at > now() - interval '1 hour' "
                      "FROM query_ml.feedback").fetchone()
    assert row == (me, "import", True)
    assert dba.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_2_forged_rows_do_not_rank_a_destructive_statement(shop):
    """0.2.0: 20 forged rows made 'ALTER TABLE orders DROP COLUMN note' the first suggestion at 1.00."""
    dba, writer, _, _ = shop
    assert sqlstate(writer, """INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template)
                               VALUES (%s, 'index', 'ALTER TABLE orders DROP COLUMN note')""", SHOP) == "22023"
    suggestions = dba.execute("SELECT suggestion FROM ml_match_and_suggest(%s, min_confidence => 0)", (SHOP,)).fetchall()
    assert not any("DROP" in str(s) for s in suggestions)


def test_2_a_writer_measures_its_own_optimization_and_the_server_says_so(shop):
    dba, writer, _, _ = shop
    opt = record_index(writer)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):     # no CREATE on orders: the writer's own rights
        writer.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s)", (opt, SHOP))
    me = writer.execute("SELECT current_user").fetchone()[0]
    dba.execute(f"ALTER TABLE orders OWNER TO {me}")
    dba.execute(f"GRANT CREATE ON SCHEMA public TO {me}")
    row = writer.execute("SELECT measured_by, submitted_by = current_user FROM ml_track(%s, runs => 1, sql => %s)",
                         (opt, SHOP)).fetchone()
    assert row == ("ml_track", True)
    # Its metrics are the server's: the writer may delete the row, not edit it.
    assert sqlstate(writer, "UPDATE query_ml.feedback SET after_execution_ms = 0") == "42501"
    assert sqlstate(writer, "SELECT * FROM ml_update_feedback((SELECT max(id) FROM query_ml.feedback), "
                            "after_execution_ms => 0)") == "42501"
    assert sqlstate(writer, "SELECT ml_delete_feedback((SELECT max(id) FROM query_ml.feedback))") == "ok"


# 2b. One writer's results against another's learning (found by the learning red team) ---------

def index_patterns(conn, count, estimate, first=0, kind="index"):
    """count optimizations of conn's role (index, or rewrite), each on a table of its own; their
    ids.  estimate: one for all, or a function of the pattern's number (0 .. count - 1)."""
    def table(i):
        return f"lt_{chr(97 + (first + i) // 26)}{chr(97 + (first + i) % 26)}"

    def optimized(i):
        return f"CREATE INDEX ON {table(i)} (a)" if kind == "index" else f"SELECT * FROM {table(i)} WHERE a = 1 LIMIT 10"
    return [conn.execute("SELECT ml_record_optimization(%s, %s, %s, %s)",
                         (f"SELECT * FROM {table(i)} WHERE a = 1", optimized(i), kind,
                          estimate(i) if callable(estimate) else estimate)).fetchone()[0] for i in range(count)]


def submit(conn, opt, improvements, **columns):
    extra = "".join(f", {name}" for name in columns)
    values = "".join(f", {value}" for value in columns.values())
    for improvement in improvements:
        conn.execute(f"INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms{extra}) "
                     f"VALUES (%s, 100, 100 - %s{values})", (opt, improvement))


def suggested(conn, opt):
    """Whether the optimization's pattern is suggested for its own query."""
    query = conn.execute("SELECT original_query FROM query_ml.optimizations WHERE id = %s", (opt,)).fetchone()[0]
    return conn.execute("SELECT count(*) FROM ml_match_pattern(%s) m JOIN query_ml.optimizations o "
                        "ON o.pattern_id = m.pattern_id WHERE o.id = %s", (query, opt)).fetchone()[0] == 1


def test_2b_extreme_results_do_not_poison_a_types_calibration(shop):
    """A writer recorded many index patterns and fed each the most extreme result the columns
    allow (-8.6e12%, 0.001 ms before, a day after): the type's line and noise followed, and
    another role's well-measured pattern was no longer suggested."""
    dba, writer, _, _ = shop
    honest = index_patterns(dba, 6, 50)
    for i, opt in enumerate(honest):
        submit(dba, opt, [35 + i, 45 - i, 40, 38 + i, 42])
    for opt in index_patterns(writer, 20, 50, first=100):
        writer.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                       "SELECT %s, 0.001, 86400000 FROM generate_series(1, 30)", (opt,))
    dba.execute("SELECT * FROM ml_refine()")
    line = dba.execute("SELECT intercept, slope, noise_sd, effect_sd FROM query_ml.type_calibration "
                       "WHERE optimization_type = 'index'").fetchone()
    assert all(abs(value) <= 200 for value in line), line
    assert all(suggested(dba, opt) for opt in honest)
    assert dba.execute("SELECT min(calibrated_improvement) FROM query_ml.patterns p JOIN query_ml.optimizations o "
                       "ON o.pattern_id = p.id WHERE o.id = ANY (%s)", (honest,)).fetchone()[0] > 30
    assert dba.execute("SELECT * FROM ml_check_stats()").fetchall() == []     # the exact statistics keep every value


def test_2b_results_dated_ahead_do_not_stay_the_latest(shop):
    """A writer added three harmful results to another role's optimization, dated up to a day
    ahead: for that day they stayed the pattern's latest results, outweighed every honest result
    that followed, and the pattern was flagged."""
    dba, writer, _, _ = shop
    opt = index_patterns(dba, 1, 40)[0]
    submit(dba, opt, [40, 42, 38])
    submit(writer, opt, [-60, -60, -60], applied_at="now() + interval '23 hours'")
    submit(dba, opt, [41, 39, 40, 43, 38, 40])
    dba.execute("SELECT * FROM ml_refine()")
    assert dba.execute("SELECT p.status FROM query_ml.patterns p JOIN query_ml.optimizations o "
                       "ON o.pattern_id = p.id WHERE o.id = %s", (opt,)).fetchone()[0] == "active"
    assert suggested(dba, opt)


def test_2b_a_writers_own_estimate_does_not_carry_its_pattern_past_the_bar(shop):
    """With fewer than 5 patterns of its type, the writer's estimate was the prior at face value:
    an estimate of 100 and one result of +1% scored near 1 and was suggested."""
    dba, writer, _, _ = shop
    claimed = index_patterns(writer, 1, 100)[0]
    submit(writer, claimed, [1])
    dba.execute("SELECT * FROM ml_refine()")
    assert not suggested(dba, claimed)
    # Evidence does it: consistent successes are suggested whatever the estimate.
    shown = index_patterns(writer, 1, 0, first=1)[0]
    submit(writer, shown, [45, 50, 48])
    dba.execute("SELECT * FROM ml_refine()")
    assert suggested(dba, shown)


def test_2b_many_noisy_patterns_of_one_writer_do_not_suppress_another_roles_pattern(shop):
    """Red team, second round: 50 index patterns of one writer, estimates spread over 0..99, each
    with results alternating -100 and +100, pulled the type's line to zero and inflated its
    noise, so another role's pattern with 22 results of about 60% fell to an expected 5% and
    was no longer suggested."""
    dba, writer, _, _ = shop
    honest = index_patterns(dba, 6, 50)
    for opt in honest:
        submit(dba, opt, [58 + (i % 5) for i in range(22)])
    for opt in index_patterns(writer, 50, lambda i: 2 * i, first=100):
        submit(writer, opt, [100 if k % 2 else -100 for k in range(10)])
    dba.execute("SELECT * FROM ml_refine(full => true)")
    assert all(suggested(dba, opt) for opt in honest)
    assert dba.execute("SELECT min(calibrated_improvement) FROM query_ml.patterns p JOIN query_ml.optimizations o "
                       "ON o.pattern_id = p.id WHERE o.id = ANY (%s)", (honest,)).fetchone()[0] > 50


@pytest.mark.parametrize("result", [0, -20])
def test_2b_a_writers_own_calibration_does_not_carry_a_pattern_without_evidence(shop, result):
    """Red team, second round: five patterns of one writer, their means on the identity line and
    their results spread +-60, gave the type a line of slope 0.8 and a large noise, so the
    writer's next pattern, estimated at 100, scored 1.0 on one result of 0% (or -20%)."""
    _, writer, reader, _ = shop
    for i, opt in enumerate(index_patterns(writer, 5, lambda i: -40 + 20 * i)):
        submit(writer, opt, [-40 + 20 * i + (60 if k % 2 else -60) for k in range(10)])
    target = index_patterns(writer, 1, 100, first=50)[0]
    submit(writer, target, [result])
    shop[0].execute("SELECT * FROM ml_refine()")
    assert not suggested(reader, target)


@pytest.mark.parametrize("result", [6, 10])
def test_2b_identical_results_of_a_second_pattern_do_not_make_one_result_proof(shop, result):
    """Red team, second round: one helper pattern with 10 identical results pooled the type's
    noise down to 1 point, and one result of 6% then scored 0.83 (10%: 1.0)."""
    dba, writer, _, _ = shop
    helper = index_patterns(writer, 1, 50)[0]
    submit(writer, helper, [50] * 10)
    target = index_patterns(writer, 1, 100, first=1)[0]
    submit(writer, target, [result])
    dba.execute("SELECT * FROM ml_refine()")
    assert not suggested(dba, target)


@pytest.mark.parametrize("statement", [
    "INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, applied_at) "
    "VALUES ({opt}, 100, 300, 'infinity')",
    "INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, applied_at) "
    "VALUES ({opt}, 100, 300, '-infinity')",
    "INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, applied_at) "
    "VALUES ({opt}, 100, 10, '2100-01-01')",
    "UPDATE query_ml.feedback SET applied_at = now() + interval '5 years' WHERE submitted_by = current_user",
    "UPDATE query_ml.feedback SET applied_at = '1999-12-31' WHERE submitted_by = current_user",
])
def test_2b_applied_at_is_checked_on_every_path(shop, statement):
    """Red team, second round: ml_submit_feedback refused an applied_at outside 2000-01-01 .. a
    day from now, but plain INSERT and UPDATE took one, and the rows dropped out of every
    windowed report while they still drove learning."""
    dba, writer, _, _ = shop
    opt = index_patterns(writer, 1, 40)[0]
    submit(writer, opt, [40])
    before = dba.execute("SELECT array_agg(f::text ORDER BY id) FROM query_ml.feedback f").fetchone()
    try:
        writer.execute(statement.format(opt=opt))
        raise AssertionError("accepted")
    except psycopg.Error as error:
        assert error.sqlstate == "22023" and "applied_at" in error.diag.message_primary
    assert dba.execute("SELECT array_agg(f::text ORDER BY id) FROM query_ml.feedback f").fetchone() == before


def test_2b_refining_the_same_evidence_again_learns_the_same(shop):
    """Red team, second round: the type's fit read the variances of the previous run, so a full
    run on unchanged data moved expected improvements and scores (51.6, then 59.5)."""
    dba, writer, _, _ = shop
    for i, opt in enumerate(index_patterns(writer, 8, 30)):
        submit(writer, opt, [20 + 7 * i + (9 if k % 2 else -9) for k in range(3 + i)])
    # To 9 significant digits: two runs may add the same floats in another order.
    learned = ("SELECT array_agg((id, round(calibrated_improvement::numeric, 9), round(score::numeric, 9))::text "
               "ORDER BY id) FROM query_ml.patterns")
    dba.execute("SELECT * FROM ml_refine(full => true)")
    first = dba.execute(learned).fetchone()
    dba.execute("SELECT * FROM ml_refine(full => true)")
    assert dba.execute(learned).fetchone() == first


def rewrite_patterns(conn, count, estimate, first=0):
    return index_patterns(conn, count, estimate, first, kind="rewrite")


def test_2b_another_writers_noisy_patterns_do_not_move_the_line_onto_a_pattern(shop):
    """Red team, third round: ten rewrite patterns of one writer, results alternating +100 and
    -100, set the type's noise to 94 and its effect spread to 1, so another role's pattern with
    8 results of about 25% fell to an expected 3.6 and a score of 0.07."""
    dba, writer, _, _ = shop
    victim = rewrite_patterns(dba, 1, 30)[0]
    submit(dba, victim, [23, 24, 25, 26, 27, 25, 24, 26])
    for opt in rewrite_patterns(writer, 10, 30, first=100):
        submit(writer, opt, [100 if k % 2 else -100 for k in range(10)])
    dba.execute("SELECT * FROM ml_refine(full => true)")
    assert suggested(dba, victim)
    assert dba.execute("SELECT calibrated_improvement FROM query_ml.patterns p JOIN query_ml.optimizations o "
                       "ON o.pattern_id = p.id WHERE o.id = %s", (victim,)).fetchone()[0] > 15


def test_2b_noise_on_one_pattern_does_not_spill_onto_the_owners_other_patterns(shop):
    """Red team, third round: noise was pooled per recording role, so a writer who added noisy
    results to one of another role's patterns (recording its query shape again lands there)
    made that role's other, untouched pattern unsuggested."""
    dba, writer, _, _ = shop
    kept, noisy = rewrite_patterns(dba, 2, 30)
    submit(dba, kept, [13, 14, 15, 16, 17, 15])
    submit(dba, noisy, [20])
    dba.execute("SELECT * FROM ml_refine(full => true)")
    assert suggested(dba, kept)
    again = writer.execute("SELECT ml_record_optimization('SELECT * FROM lt_ab WHERE a = 7', "
                           "'SELECT * FROM lt_ab WHERE a = 7 LIMIT 10', 'rewrite', 30)").fetchone()[0]
    assert writer.execute("SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", (again,)).fetchone() == \
        dba.execute("SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", (noisy,)).fetchone()
    submit(writer, again, [100 if k % 2 else -100 for k in range(20)])
    dba.execute("SELECT * FROM ml_refine(full => true)")
    assert suggested(dba, kept)


def test_2b_a_tail_of_regressions_is_not_winsorized_away(shop):
    """Red team, third round: 19 of 100 results ten times slower, 81 at +10%: the winsorized mean
    said +10 and the pattern was suggested while it lost time on average (its mean, each result
    held within -100, is -10.9).  Here 11 of the latest 60, under the 20% that winsorizing holds in."""
    dba, writer, _, _ = shop
    opt = index_patterns(writer, 1, 10)[0]
    submit(writer, opt, [10] * 49)
    writer.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                   "SELECT %s, 100, 1000 FROM generate_series(1, 11)", (opt,))
    dba.execute("SELECT * FROM ml_refine()")
    assert not suggested(dba, opt)


@pytest.mark.parametrize("fitted", [False, True])
def test_2b_another_writers_estimate_on_a_pattern_is_not_its_prior(shop, fitted):
    """Red team, fourth round: recording the victim's query shape and optimization again with an
    estimate of -1000 (no result at all) made that estimate the prior of the victim's pattern:
    score 0.998 to 0.001 without a type line, and to about 0 with a tight one."""
    dba, writer, _, _ = shop
    if fitted:
        for opt in index_patterns(dba, 5, 20, first=10):
            submit(dba, opt, [19, 20, 21, 20])
    victim = index_patterns(dba, 1, 20)[0]
    submit(dba, victim, [18, 20, 22, 19, 21, 20])
    dba.execute("SELECT * FROM ml_refine()")
    assert suggested(dba, victim)
    writer.execute("SELECT ml_record_optimization('SELECT * FROM lt_aa WHERE a = 2', 'CREATE INDEX ON lt_aa (a)', "
                   "'index', -1000)")
    submit(dba, victim, [20])
    dba.execute("SELECT * FROM ml_refine(full => true)")
    assert suggested(dba, victim)


def test_2b_without_the_creators_estimate_the_first_recorders_is_the_prior(shop):
    """Red team, fifth round: a pattern stored without an optimization took every role's
    estimates, so a later writer's -1000 became the prior of another role's measured pattern."""
    dba, writer, _, make = shop
    dba.execute("SELECT ml_store_pattern('SELECT * FROM lt_zz WHERE a = 1', 'index', 'CREATE INDEX ON lt_zz (a)')")
    opt = dba.execute("SELECT ml_record_optimization('SELECT * FROM lt_zz WHERE a = 1', 'CREATE INDEX ON lt_zz (a)', "
                      "'index', 20)").fetchone()[0]
    dba.execute("UPDATE query_ml.patterns SET created_by = 'nobody_in_particular'")     # stored by another role
    submit(dba, opt, [30, 30, 30])
    writer.execute("SELECT ml_record_optimization('SELECT * FROM lt_zz WHERE a = 2', 'CREATE INDEX ON lt_zz (a)', "
                   "'index', -1000)")
    dba.execute("SELECT * FROM ml_refine(full => true)")
    assert suggested(dba, opt)


def test_2b_regressions_count_as_measured_in_the_guard(shop):
    """Red team, fourth round: one result in ten ten times slower (-900%), the rest +20%: each
    result held within -100 for learning, the plain mean was +8 and the pattern was suggested
    while it lost 72% on average."""
    dba, writer, _, _ = shop
    opt = index_patterns(writer, 1, 20)[0]
    submit(writer, opt, ([-900] + [20] * 9) * 6)
    dba.execute("SELECT * FROM ml_refine()")
    assert not suggested(dba, opt)


def test_2b_another_roles_many_patterns_weigh_as_one_role_in_the_line(shop):
    """Red team, fourth round: five noisy patterns of one writer (10 results each) weighed ten
    times a one-result pattern of another role in the type's line and spread, and pinned it to
    the line: 0.846 to 0.158."""
    dba, writer, _, _ = shop
    for opt in index_patterns(writer, 5, 30, first=20):
        submit(writer, opt, [100 if k % 2 else -100 for k in range(10)])
    victim = index_patterns(dba, 1, 30)[0]
    submit(dba, victim, [15])
    dba.execute("SELECT * FROM ml_refine(full => true)")
    alone = dba.execute("SELECT score FROM query_ml.patterns p JOIN query_ml.optimizations o ON o.pattern_id = p.id "
                        "WHERE o.id = %s", (victim,)).fetchone()[0]
    assert alone > 0.5


# 3. A reader cannot measure -----------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    "SELECT * FROM ml_track({opt}, sql => 'SELECT * FROM orders WHERE customer_id = 42', "
    "optimized => 'CREATE INDEX ON orders (customer_id)')",
    "SELECT * FROM query_ml.track({opt}, 1, 'SELECT * FROM orders WHERE customer_id = 42', 1000, 'public', "
    "'CREATE INDEX ON orders (customer_id)')",
    "SELECT * FROM query_ml.explain_measured('SELECT 1', 'public')",
    "SELECT query_ml.run_setup('CREATE INDEX ON orders (customer_id)', 'public', 1000)",
    "SELECT query_ml.store_measurement('x')",
])
def test_3_a_reader_cannot_measure(shop, call):
    dba, _, reader, _ = shop
    opt = record_index(dba)
    assert sqlstate(reader, call.format(opt=opt)) == "42501"
    assert dba.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'").fetchone()[0] == 1


# 7. ml_track cannot be escaped ----------------------------------------------------------------------

@pytest.fixture
def rewrite(shop):
    """measure(conn, sql): record a rewrite of sql (as the superuser) and measure it with ml_track."""
    dba = shop[0]

    def measure(conn, sql, **options):
        opt = dba.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 20)", (sql, sql + " ORDER BY id")).fetchone()[0]
        extra = "".join(f", {key} => {value}" for key, value in options.items())
        return conn.execute(f"SELECT * FROM ml_track(%s, runs => 1, sql => %s, optimized => %s{extra})",
                            (opt, sql, sql + " ORDER BY id")).fetchall()
    return measure


def test_7_a_session_advisory_lock_does_not_survive(shop, rewrite):
    dba = shop[0]
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as error:
        rewrite(dba, "SELECT id FROM orders WHERE customer_id = pg_advisory_lock(99)::text::int")
    assert "advisory lock" in error.value.diag.message_primary
    assert dba.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0] == 0
    assert dba.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == 0
    # Taken many times, it is released as many.
    dba.execute("""CREATE FUNCTION hoard(x int) RETURNS int LANGUAGE plpgsql AS $$
                   BEGIN FOR i IN 1..150000 LOOP PERFORM pg_advisory_lock(4242); END LOOP; RETURN x; END $$""")
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        rewrite(dba, "SELECT id FROM orders WHERE customer_id = (SELECT hoard(42))")
    assert dba.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0] == 0
    # A caller holding a lock could not tell it from one the measured code takes again: refused.
    dba.execute("SELECT pg_advisory_lock(99)")
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as error:
        rewrite(dba, "SELECT id FROM orders WHERE customer_id = pg_advisory_lock(99)::text::int")
    assert "holds advisory locks" in error.value.diag.message_primary
    assert dba.execute("SELECT pg_advisory_unlock(99), pg_advisory_unlock(99)").fetchone() == (True, False)


def test_7_prepared_statements_cursors_and_listen_do_not_survive(shop, rewrite):
    dba = shop[0]
    dba.execute("""CREATE FUNCTION leave_state(x int) RETURNS int LANGUAGE plpgsql AS $$
                   BEGIN EXECUTE 'PREPARE qml_left AS SELECT 1'; EXECUTE 'LISTEN qml_channel';
                         EXECUTE 'DECLARE qml_cursor CURSOR WITH HOLD FOR SELECT 1'; RETURN x; END $$""")
    # A security-restricted operation refuses them outright (42501); what slipped through
    # would be undone and refused (55000).
    with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectNotInPrerequisiteState)):
        rewrite(dba, "SELECT id FROM orders WHERE customer_id = (SELECT leave_state(42))")
    assert dba.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'qml_left'").fetchone()[0] == 0
    assert dba.execute("SELECT count(*) FROM pg_cursors WHERE name = 'qml_cursor'").fetchone()[0] == 0
    assert dba.execute("SELECT count(*) FROM pg_listening_channels()").fetchone()[0] == 0
    # set_config and temporary tables are undone by the rollback itself.
    dba.execute("""CREATE FUNCTION set_things(x int) RETURNS int LANGUAGE plpgsql AS $$
                   BEGIN PERFORM set_config('work_mem', '1MB', false); RETURN x; END $$""")
    work_mem = dba.execute("SHOW work_mem").fetchone()[0]
    rewrite(dba, "SELECT id FROM orders WHERE customer_id = set_things(42)")
    assert dba.execute("SHOW work_mem").fetchone()[0] == work_mem


def test_7_code_that_catches_the_cancellation_is_over_its_limit_all_the_same(shop, rewrite):
    dba = shop[0]
    # It swallows the cancellation, then goes on until it has seen 20 of them or 2 s have passed.
    # (Called once, from an InitPlan.)
    dba.execute("""CREATE FUNCTION stubborn(x int) RETURNS int LANGUAGE plpgsql AS $$
                   DECLARE started timestamptz := clock_timestamp(); caught int := 0;
                   BEGIN
                       WHILE clock_timestamp() < started + interval '2 s' AND caught < 20 LOOP
                           BEGIN PERFORM pg_sleep(0.05); EXCEPTION WHEN query_canceled THEN caught := caught + 1; END;
                       END LOOP;
                       RETURN x;
                   END $$""")
    with pytest.raises(psycopg.errors.QueryCanceled):
        rewrite(dba, "SELECT id FROM orders WHERE customer_id = (SELECT stubborn(42))", timeout_ms=100)
    assert dba.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == 0


def test_7_two_statements_are_refused_whatever_standard_conforming_strings_says(shop):
    dba = shop[0]
    # pglast reads one SELECT comparing note with two strings; a server reading with
    # standard_conforming_strings off would take \' as a quote and run a second statement.
    sneaky = ("SELECT id FROM orders WHERE customer_id = 42 AND note <> 'a\\' "
              "AND note <> '; SELECT pg_advisory_lock(77); --'")
    opt = dba.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 20)",
                      (sneaky, sneaky + " ORDER BY id")).fetchone()[0]
    dba.execute("SET standard_conforming_strings = off")
    with dba.cursor() as cur:
        cur.execute("SELECT before_execution_ms FROM ml_track(%s, runs => 1, sql => %s)", (opt, sneaky))
        before_ms = cur.fetchone()[0]
    dba.execute("RESET standard_conforming_strings")
    # It ran as pglast read it, one statement: a real measurement, and no lock.
    assert before_ms < 10000
    assert dba.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0] == 0
    # And the server itself refuses a second statement in what it measures.
    with pytest.raises(psycopg.errors.InvalidCursorDefinition):
        dba.execute("SELECT * FROM query_ml.explain_measured('SELECT 1; SELECT pg_advisory_lock(78)', 'public')")
    assert dba.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0] == 0


def test_7_the_callers_search_path_never_resolves_query_mls_own_calls(shop, rewrite):
    dba = shop[0]
    dba.execute("CREATE SCHEMA evil")
    dba.execute("""CREATE FUNCTION evil.spy(name text) RETURNS text LANGUAGE plpgsql AS
                   $$ BEGIN RAISE NOTICE 'evil %', name; RETURN NULL; END $$""")
    for name, args in (("current_setting", "text"), ("set_config", "text, text, boolean"),
                       ("quote_ident", "text"), ("pg_backend_pid", ""), ("array_agg", "text")):
        if name == "array_agg":
            continue
        dba.execute(f"CREATE FUNCTION evil.{name}({args}) RETURNS text LANGUAGE sql AS $$ SELECT evil.spy('{name}') $$")
    dba.execute("""CREATE FUNCTION evil.concat_spy(a text, b text) RETURNS text LANGUAGE sql AS
                   $$ SELECT evil.spy('||') || a || b $$""")
    dba.execute("CREATE OPERATOR evil.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.concat_spy)")
    dba.execute("GRANT USAGE ON SCHEMA evil TO PUBLIC")
    # A new session: the first ml_track loads everything.
    with psycopg.connect(host=dba.info.host, port=dba.info.port, user=dba.info.user, dbname=dba.info.dbname,
                         autocommit=True) as fresh:
        notices = []
        fresh.add_notice_handler(lambda diag: notices.append(diag.message_primary))
        fresh.execute("SET search_path = evil, public, pg_catalog")
        rewrite(fresh, "SELECT id FROM orders WHERE customer_id = 42")
        assert fresh.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == 1
    assert [n for n in notices if n.startswith("evil")] == []


def test_7_an_index_build_waits_for_its_table_lock_at_most_track_lock_timeout_ms(shop):
    dba, _, _, make = shop
    opt = record_index(dba)
    dba.execute("SELECT ml_set_setting('track_lock_timeout_ms', '50')")
    with psycopg.connect(host=dba.info.host, port=dba.info.port, user=dba.info.user,
                         dbname=dba.info.dbname) as holder:
        holder.execute("LOCK TABLE orders IN ROW EXCLUSIVE MODE")     # a writer in the middle of a transaction
        with pytest.raises(psycopg.errors.LockNotAvailable) as error:
            dba.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s)", (opt, SHOP))
        assert "track_lock_timeout_ms" in error.value.diag.message_hint
        holder.rollback()
    assert dba.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == 0
    assert dba.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'").fetchone()[0] == 1


def test_5_a_message_raised_by_a_function_of_the_query_is_left_out(shop, rewrite):
    dba = shop[0]
    dba.execute("""CREATE FUNCTION chk(t text) RETURNS int LANGUAGE plpgsql STABLE AS $$
                   BEGIN RAISE EXCEPTION 'bad value % seen', translate(t, '0123456789', 'abcdefghij'); END $$""")
    with pytest.raises(psycopg.errors.RaiseException) as error:
        rewrite(dba, "SELECT id FROM orders WHERE customer_id = chk('Card 4111 SECRETPASS')")
    assert "SECRETPASS" not in str(error.value.diag.message_primary)


# 5. Literals echoed ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, secret", [
    ("'SEK''quote'::int", "SEK"),
    ("(ARRAY['zx91', 'qq'])[1]::int", "zx91"),
    ("upper('kw')::int", "KW"),
    ("'ab'::int", "ab"),
    ("1 / (7 - 7)", None),
    ("'99999999999999'::int", "99999999999999"),
    ("CAST('Zsecret7q' AS regoper)::oid::int", "Zsecret7q"),
    ("'Zsecret7q(int4,int4)'::regoperator::oid::int", "Zsecret7q"),
    ("'a.b.c.Zsecret7q'::regclass::oid::int", "secret7q"),
    ("length(convert_from('\\xe28228'::bytea, 'UTF8'))", "0x82"),
    ("length(convert_to('€ zq', 'LATIN1'))", "0x82"),
    ("extract(epoch FROM date_trunc('SECRETA: tail', now()))::int", "ECRETA"),
    ("length('SECRETB: x'::regclass::text)", "ECRETB"),
])
def test_5_errors_of_measured_queries_keep_their_sqlstate_and_lose_their_values(shop, value, secret):
    dba = shop[0]
    opt = dba.execute("SELECT ml_record_optimization(%s, %s, 'rewrite', 20)",
                      (f"SELECT id FROM orders WHERE customer_id = {value}",
                       f"SELECT id FROM orders WHERE customer_id = {value} ORDER BY id")).fetchone()[0]
    with pytest.raises(psycopg.Error) as error:
        dba.execute("SELECT * FROM ml_track(%s, runs => 1, sql => %s)",
                    (opt, f"SELECT id FROM orders WHERE customer_id = {value}"))
    assert error.value.sqlstate in ("22P02", "22003", "22012", "42883", "42601", "42704", "22021", "22P05",
                                    "22023", "42P01", "42602")
    diag = error.value.diag
    text = " ".join(x for x in (diag.message_primary, diag.message_detail, diag.message_hint) if x)
    if secret:
        assert secret not in text, text
    assert "None" not in text


def test_1_rows_from_before_the_check_are_caught_by_a_forced_refingerprint(shop):
    """A destructive 'index' left by 0.2.0 (written here past the trigger, as an old release did)."""
    dba = shop[0]
    with past_the_triggers(dba, "patterns"):
        dba.execute("""INSERT INTO query_ml.patterns (fingerprint, parser_version, normalized_query, signature,
                           optimization_type, optimized_template, feature_version, tokens, lsh_keys)
                       VALUES ('0123456789abcdef', 'old', 'SELECT * FROM orders WHERE id = $1', 'SELECT_?', 'index',
                               'ALTER TABLE orders DROP COLUMN note', 1, '{}', '{}')""")
    report = dba.execute("SELECT outcome FROM ml_refingerprint_patterns(force => true)").fetchall()
    assert report == [("unparseable",)]


# 4. and 8., found by the second review ------------------------------------------------------------

@pytest.mark.parametrize("statement", ["SET myapp.tenant = tenant_hunter42", "SET TIME ZONE hunter6",
                                       "ALTER ROLE bob SET application_name TO hunter3secret",
                                       "SET search_path = hunter5, public"])
def test_4_a_settings_bare_word_value_is_not_stored(shop, statement):
    dba, writer, _, _ = shop
    assert sqlstate(writer, "SELECT ml_normalize(%s)", statement) == "22023"
    assert sqlstate(writer, "SELECT ml_store_pattern(%s, 'other', 'a pool per tenant')", statement) == "22023"
    assert counts(dba) == (0, 0, 0)


@pytest.mark.parametrize("call", ["SELECT ml_store_pattern(%s, 'other', 'y')", "SELECT ml_normalize(%s)",
                                  "SELECT ml_signature(%s)", "SELECT * FROM ml_match_pattern(%s)"])
def test_8_a_query_too_deep_for_the_parser_gets_a_clear_error(shop, call):
    writer = shop[1]
    with pytest.raises(psycopg.Error) as error:
        writer.execute(call, ("SELECT " + "1+" * 30000 + "1",))
    assert error.value.sqlstate == "54001", error.value
    message = error.value.diag.message_primary
    assert "pglast" not in message and "ParseError" not in message and "spiexceptions" not in message


# Fourth review: another role's SQL handed to a superuser to run --------------------------------

TRAPS = [
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND merge_action() IS NOT NULL"),
    ("rewrite", "SELECT * FROM orders o WHERE customer_id = 42 AND (o).evil"),
    ("rewrite", "WITH trap AS (SELECT * FROM trap) SELECT * FROM orders WHERE customer_id = 42 "
                "AND EXISTS (SELECT FROM trap)"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND EXISTS "
                "(SELECT FROM pg_catalog.ts_stat('SELECT to_tsvector(''x'')'))"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND pg_catalog.length(pg_catalog.pg_read_file("
                "'/etc/hostname')) > 0"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND (note = 7) IS NOT NULL"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND (note =~= ANY (SELECT 1)) IS NOT NULL"),
    ("rewrite", "SELECT * FROM orders WHERE customer_id = 42 AND pg_catalog.set_config('search_path', "
                "'x', false) IS NOT NULL"),
    ("index", "CREATE INDEX ON orders (customer_id) WHERE (note = 7::int8) IS NOT NULL"),
]


@pytest.mark.parametrize("kind, optimized", TRAPS)
def test_another_roles_sql_is_handed_over_only_once_checked_as_you_would_run_it(shop, kind, optimized):
    """The writer plants objects in a schema named like the superuser ("$user" comes first on
    its search_path); whatever the store-time rules let through, applying refuses."""
    dba, writer, _, _ = shop
    me = dba.execute("SELECT current_user").fetchone()[0]
    writer.execute(f'CREATE SCHEMA "{me}"')
    writer.execute(f'CREATE TABLE "{me}".loot (t text)')
    writer.execute(f'GRANT USAGE ON SCHEMA "{me}" TO PUBLIC')
    writer.execute(f'GRANT INSERT ON "{me}".loot TO PUBLIC')
    body = f"""$$ BEGIN INSERT INTO "{me}".loot SELECT current_user || ':' || name FROM public.payroll;
                   RETURN true; END $$"""
    writer.execute(f'CREATE FUNCTION "{me}".spy() RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS {body}')
    writer.execute(f'CREATE FUNCTION "{me}".merge_action() RETURNS boolean LANGUAGE sql AS $$ SELECT "{me}".spy() $$')
    writer.execute(f'CREATE FUNCTION "{me}".evil(public.orders) RETURNS boolean LANGUAGE sql AS $$ SELECT "{me}".spy() $$')
    writer.execute(f'CREATE VIEW "{me}".trap AS SELECT "{me}".spy()')
    for right in ("integer", "bigint"):
        writer.execute(f'CREATE FUNCTION "{me}".eq(text, {right}) RETURNS boolean LANGUAGE sql IMMUTABLE '
                       f'AS $$ SELECT "{me}".spy() $$')
        writer.execute(f'CREATE OPERATOR "{me}".= (LEFTARG = text, RIGHTARG = {right}, FUNCTION = "{me}".eq)')
    writer.execute(f'CREATE OPERATOR "{me}".=~= (LEFTARG = text, RIGHTARG = integer, FUNCTION = "{me}".eq)')
    writer.execute(f'GRANT SELECT ON "{me}".trap TO PUBLIC')
    path = dba.execute("SHOW search_path").fetchone()[0]
    stored = sqlstate(writer, "INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template) "
                              "VALUES (%s, %s, %s)", SHOP, kind, optimized)
    if stored == "ok":
        pattern = dba.execute("SELECT max(id) FROM query_ml.patterns").fetchone()[0]
        assert sqlstate(dba, "SELECT ml_apply_pattern(%s, %s)", pattern, SHOP) == "42501"
        suggested = dba.execute("SELECT applied_sql FROM ml_match_and_suggest(%s, min_confidence => 0)",
                                (SHOP,)).fetchall()
        assert suggested == [] or all(row[0] is None for row in suggested)
    else:
        assert stored == "22023"
    assert dba.execute(f'SELECT count(*) FROM "{me}".loot').fetchone()[0] == 0
    assert dba.execute("SHOW search_path").fetchone()[0] == path


def test_your_own_sql_comes_back_and_another_roles_plain_rewrite_too(shop):
    dba, writer, _, _ = shop
    mine = dba.execute("SELECT ml_store_pattern(%s, 'rewrite', %s)", (SHOP, SHOP + " ORDER BY id")).fetchone()[0]
    assert dba.execute("SELECT ml_apply_pattern(%s, %s)", (mine, SHOP)).fetchone()[0] == SHOP + " ORDER BY id"
    theirs = writer.execute("SELECT ml_store_pattern(%s, 'index', 'CREATE INDEX ON orders (customer_id)')",
                            (SHOP,)).fetchone()[0]
    assert dba.execute("SELECT ml_apply_pattern(%s, %s)", (theirs, SHOP)).fetchone()[0] == \
        "CREATE INDEX ON orders (customer_id)"


@pytest.mark.parametrize("kind, optimized", [("setting", "SET work_mem = '64MB'"),
                                             ("index", "CREATE STATISTICS s ON customer_id, status FROM orders")])
def test_another_roles_sql_that_cannot_be_checked_is_not_handed_over(shop, kind, optimized):
    dba, writer, _, _ = shop
    theirs = writer.execute("SELECT ml_store_pattern(%s, %s, %s)", (SHOP, kind, optimized)).fetchone()[0]
    assert sqlstate(dba, "SELECT ml_apply_pattern(%s, %s)", theirs, SHOP) == "42501"
    assert dba.execute("SELECT applied_sql FROM ml_match_and_suggest(%s, min_confidence => 0)",
                       (SHOP,)).fetchall() in ([], [(None,)])
    dba.execute("SELECT ml_register_source('dba_own')")
    mine = dba.execute("SELECT ml_store_pattern(%s, %s, %s, source => 'dba_own')",
                       (SHOP, kind, optimized)).fetchone()[0]
    assert dba.execute("SELECT ml_apply_pattern(%s, %s)", (mine, SHOP)).fetchone()[0] == optimized


@pytest.mark.parametrize("cycle", [[-900] + [60] * 7 + [100, 100], [-900] * 2 + [60] * 6 + [100, 100]])
def test_2b_a_change_does_not_hide_a_tail_of_regressions(shop, cycle):
    """Red team, sixth round: a steady pattern whose cycle of ten results holds one or two ten times
    slower (mean of the latest 60: -28 and -124) was suggested at score 1 after every cycle: its
    last two results, +100, passed for a change, and after a change the guard read the recent
    results alone, too few to show the tail.  The tail's cost over the latest 60 now counts."""
    dba, writer, _, _ = shop
    opt = index_patterns(writer, 1, 40)[0]
    submit(writer, opt, [60] * 20 + cycle * 4)
    dba.execute("SELECT * FROM ml_refine()")
    for _ in range(3):
        for value in cycle:
            submit(writer, opt, [value])
            dba.execute("SELECT * FROM ml_refine()")
            assert not suggested(dba, opt)
