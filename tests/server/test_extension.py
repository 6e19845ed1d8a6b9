"""The extension as a DBA installs it: objects, comments, schemas, dump registration."""
import subprocess

import pytest

from tests.conftest import PG_BINDIR, connect

USER_DATA = {"sources", "patterns", "optimizations", "feedback", "refinement_runs", "setting_values", "type_calibration",
             "workload_captures", "workload_snapshots", "workload_counters", "production_changes"}


def members(conn, classid):
    return conn.execute(f"""
        SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
         WHERE e.extname = 'query_ml' AND d.deptype = 'e' AND d.classid = '{classid}'::regclass""").fetchall()


def test_ml_functions_need_no_schema_prefix(shared_db):
    assert shared_db.execute("SELECT ml_fingerprint('select 1')").fetchone()[0] == "50fde20626009aba"


def test_tables_live_in_the_query_ml_schema(shared_db):
    tables = {r[0] for r in shared_db.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'query_ml'::regnamespace AND relkind = 'r'")}
    # workload_statements is a cache of fingerprints: a restore parses again what it needs.  A fleet's
    # tables hold its replication state, set up again after a restore (README, "Fleet").
    assert tables == USER_DATA | {"pattern_stats", "pattern_changes", "setting_definitions", "optimization_types", "workload_statements",
                                  "fleet_identity", "fleet_members", "fleet_refusals", "member_optimizations",
                                  "member_feedback", "fleet_patterns", "fleet_calibration"}


def test_every_table_has_a_primary_key(shared_db):
    missing = shared_db.execute("""
        SELECT c.relname FROM pg_class c
         WHERE c.relnamespace = 'query_ml'::regnamespace AND c.relkind = 'r'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')""").fetchall()
    assert missing == []


@pytest.mark.parametrize("catalog, describe", [
    ("pg_proc", "oid::regprocedure::text"),
    ("pg_class", "oid::regclass::text"),
    ("pg_namespace", "nspname::text"),
])
def test_every_member_object_has_a_comment(shared_db, catalog, describe):
    undocumented = shared_db.execute(f"""
        SELECT {describe} FROM {catalog} o
         WHERE o.oid IN (SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                          WHERE e.extname = 'query_ml' AND d.deptype = 'e' AND d.classid = '{catalog}'::regclass)
           AND obj_description(o.oid, '{catalog}') IS NULL
           AND NOT ('{catalog}' = 'pg_class' AND (SELECT relkind FROM pg_class c WHERE c.oid = o.oid) IN ('S', 'i'))
    """).fetchall()
    assert undocumented == []


def test_every_function_pins_its_search_path(shared_db):
    # A BEGIN ATOMIC body is bound to its objects when created: search_path cannot
    # redirect it, and without a SET clause the planner can inline it.
    unpinned = shared_db.execute("""
        SELECT p.oid::regprocedure::text FROM pg_proc p
         WHERE p.oid IN (SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                          WHERE e.extname = 'query_ml' AND d.deptype = 'e' AND d.classid = 'pg_proc'::regclass)
           AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, pg_temp']
           AND p.prosqlbody IS NULL AND p.prokind <> 'p'""").fetchall()
    assert unpinned == []
    # A procedure that commits cannot have a SET clause: it pins the path itself, in each transaction.
    pin = "PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);"
    for name, body in shared_db.execute("""
            SELECT p.oid::regprocedure::text, p.prosrc FROM pg_proc p
             WHERE p.prokind = 'p' AND p.oid IN (SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                                                 WHERE e.extname = 'query_ml' AND d.deptype = 'e')"""):
        assert body.count(pin) == body.count("COMMIT;") + 1, name


def test_psql_shows_each_object_with_its_comment(server, shared_db):
    def psql(command):
        out = subprocess.run([str(PG_BINDIR / "psql"), "-X", "-A", "-t", "-F", "\x1f", "-R", "\x1e",
                              "-h", server.host, "-p", str(server.port), "-U", server.user,
                              "-d", shared_db.info.dbname, "-c", command],
                             check=True, capture_output=True, text=True).stdout
        return [record.split("\x1f") for record in out.split("\x1e") if record.strip()]

    tables = psql(r"\dt+ query_ml.*")
    assert {row[1] for row in tables} >= USER_DATA
    assert all(row[-1].strip() for row in tables), tables
    functions = psql(r"\df+ ml_*") + psql(r"\df+ query_ml.*")
    assert {"ml_fingerprint", "ml_normalize", "ml_signature", "ml_parser_version"} <= {row[1] for row in functions}
    assert all(row[-1].strip() for row in functions), [row[:2] for row in functions if not row[-1].strip()]


def test_user_data_is_registered_for_pg_dump(shared_db):
    dumped = {r[0] for r in shared_db.execute("""
        SELECT c.relname FROM pg_extension e, unnest(e.extconfig) AS t(oid) JOIN pg_class c ON c.oid = t.oid
         WHERE e.extname = 'query_ml' AND c.relkind = 'r'""")}
    assert dumped == USER_DATA


def test_create_and_drop_in_another_schema(fresh_db):
    with fresh_db.connect() as conn:
        conn.execute("DROP EXTENSION query_ml")
        assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'query_ml'").fetchone()[0] == 0
        conn.execute("CREATE SCHEMA api")
        conn.execute("CREATE EXTENSION query_ml SCHEMA api")
        assert conn.execute("SELECT api.ml_signature('select 1')").fetchone()[0] == "SELECT_?"
        assert conn.execute("SELECT to_regproc('public.ml_signature')").fetchone()[0] is None


def test_extension_version_matches_the_package(shared_db):
    import query_ml
    assert shared_db.execute("SELECT extversion FROM pg_extension WHERE extname = 'query_ml'").fetchone()[0] \
        == query_ml.__version__


def test_new_session_reports_a_version_mix_clearly(fresh_db):
    # A session that already loaded the package keeps it; simulate an upgrade by
    # asking that session for a version it did not load.
    with fresh_db.connect() as conn:
        conn.execute("SELECT ml_parser_version()")
        with pytest.raises(Exception) as info:
            conn.execute("""DO $$ BEGIN PERFORM 1; END $$;
                CREATE FUNCTION pg_temp.other() RETURNS text LANGUAGE plpython3u AS
                $p$ import query_ml; return query_ml.bootstrap(plpy, '9.9.9') $p$;
                SELECT pg_temp.other()""")
        assert info.value.sqlstate == "55000"
        assert "Reconnect" in info.value.diag.message_hint
