"""ALTER EXTENSION query_ml UPDATE ends in the same state as a fresh install."""
import pathlib

import pytest

from tests.conftest import ROOT, FreshDatabase

from .catalog import differences, snapshot

RELEASED = sorted(p.name[len("query_ml--"):-len(".sql")]
                  for p in (ROOT / "migrations" / "released").glob("query_ml--*.sql") if "--" not in p.stem[10:])


def test_update_paths_reach_the_current_version(shared_db):
    current = shared_db.execute("SELECT default_version FROM pg_available_extensions WHERE name = 'query_ml'") \
        .fetchone()[0]
    paths = dict(shared_db.execute(
        "SELECT source, path FROM pg_extension_update_paths('query_ml') WHERE target = %s AND path IS NOT NULL",
        (current,)).fetchall())
    assert set(paths) == set(RELEASED)


def test_update_to_the_installed_version_is_a_no_op(db):
    before = snapshot(db)
    notices = []
    db.add_notice_handler(lambda diag: notices.append(diag.message_primary))
    db.execute("ALTER EXTENSION query_ml UPDATE")
    assert any("already installed" in n for n in notices)
    assert snapshot(db) == before


@pytest.mark.parametrize("previous", RELEASED or [pytest.param(None, marks=pytest.mark.skip(
    reason="only one version has been released: nothing to update from yet"))])
def test_update_from_a_release_equals_a_fresh_install(server, shared_db, previous):
    with FreshDatabase(server, template="template0") as old, old.connect() as conn:
        conn.execute(f"CREATE EXTENSION query_ml VERSION '{previous}' CASCADE")
        conn.execute("ALTER EXTENSION query_ml UPDATE")
        assert differences(snapshot(conn), snapshot(shared_db)) == {}
