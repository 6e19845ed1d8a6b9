"""ALTER EXTENSION query_ml UPDATE keeps every row and ends in the same state as a fresh install."""
import pytest

from tests.conftest import ROOT, FreshDatabase

from .api import create_pg_stat_statements, create_user_table, failing_calls, populate_history
from .catalog import KEPT, columns, differences, kept_rows, snapshot

RELEASED = sorted(p.name[len("query_ml--"):-len(".sql")]
                  for p in (ROOT / "migrations" / "released").glob("query_ml--*.sql") if "--" not in p.stem[10:])
EVERY_RELEASE = pytest.mark.parametrize("previous", RELEASED or [pytest.param(None, marks=pytest.mark.skip(
    reason="only one version has been released: nothing to update from yet"))])


def test_update_paths_reach_the_current_version(shared_db):
    current = shared_db.execute("SELECT default_version FROM pg_available_extensions WHERE name = 'query_ml'") \
        .fetchone()[0]
    paths = dict(shared_db.execute(
        "SELECT source, path FROM pg_extension_update_paths('query_ml') WHERE target = %s AND path IS NOT NULL",
        (current,)).fetchall())
    assert set(paths) == set(RELEASED) - {current}


def test_update_to_the_installed_version_is_a_no_op(db):
    before = snapshot(db)
    notices = []
    db.add_notice_handler(lambda diag: notices.append(diag.message_primary))
    db.execute("ALTER EXTENSION query_ml UPDATE")
    assert any("already installed" in n for n in notices)
    assert snapshot(db) == before


@EVERY_RELEASE
def test_update_from_a_release_equals_a_fresh_install(server, shared_db, previous):
    with FreshDatabase(server, template="template0") as old, old.connect() as conn:
        conn.execute(f"CREATE EXTENSION query_ml VERSION '{previous}' CASCADE")
        conn.execute("ALTER EXTENSION query_ml UPDATE")
        assert differences(snapshot(conn), snapshot(shared_db)) == {}


def carry_rows(source, target):
    """Copy every kept row from source into target's older tables, by the columns target has,
    then move target's counters past them, as pg_restore would."""
    for table, key in KEPT.items():
        names = ", ".join(columns(target, table, writable=True))
        with source.cursor().copy(f"COPY (SELECT {names} FROM query_ml.{table} ORDER BY {key}) TO STDOUT") as out, \
                target.cursor().copy(f"COPY query_ml.{table} ({names}) FROM STDIN") as into:
            for chunk in out:
                into.write(chunk)
        if key == "id":
            target.execute(f"SELECT setval(pg_get_serial_sequence('query_ml.{table}', 'id'), max(id)) "
                           f"FROM query_ml.{table}")
    target.execute("SELECT setval('query_ml.stats_version', %s)",
                   source.execute("SELECT last_value FROM query_ml.stats_version").fetchone())


@EVERY_RELEASE
def test_update_keeps_every_row(server, fresh_db, shared_db, previous):
    # The history is made by the current version and carried into a database at the release:
    # the release's Python package need not be installed for that.
    with fresh_db.connect() as current:
        ids = populate_history(current)
        with FreshDatabase(server, template="template0") as old, old.connect() as conn:
            conn.execute(f"CREATE EXTENSION query_ml VERSION '{previous}' CASCADE")
            create_user_table(conn)
            create_pg_stat_statements(conn)
            carry_rows(current, conn)
            before = {table: set(columns(conn, table)) for table in KEPT}
            conn.execute("ALTER EXTENSION query_ml UPDATE")
            new = {c for table in KEPT for c in set(columns(conn, table)) - before[table]}

            if "refined_at" in new:     # 0.2.0 dates each refined pattern by the run that refined it
                refined, dated, by_their_run = conn.execute("""
                    SELECT count(*), count(p.refined_at),
                           count(*) FILTER (WHERE p.refined_at = (SELECT max(r.finished_at) FROM query_ml.refinement_runs r
                                                                   WHERE r.version_watermark = p.refined_version))
                      FROM query_ml.patterns p WHERE p.refined_version IS NOT NULL""").fetchone()
                assert refined > 0 and dated == by_their_run == refined
            assert kept_rows(conn, leave_out=new) == kept_rows(current, leave_out=new)
            assert conn.execute("SELECT * FROM ml_check_stats()").fetchall() == []
            assert differences(snapshot(conn), snapshot(shared_db)) == {}
            assert failing_calls(conn, ids) == {}
