"""pg_dump of a database that uses the extension, restored into a new database, keeps every
pattern, feedback row, run and setting, rebuilds the statistics, and every function works there."""
import subprocess

import pytest

from tests.conftest import PG_BINDIR, FreshDatabase

from .api import failing_calls, populate_history
from .catalog import differences, kept_rows, snapshot


def dump_and_restore(server, source, target, tmp_path):
    archive = tmp_path / "query_ml.dump"
    connection = ["-h", server.host, "-p", str(server.port), "-U", server.user]
    subprocess.run([str(PG_BINDIR / "pg_dump"), *connection, "-Fc", "-f", str(archive), source],
                   check=True, capture_output=True, text=True)
    restore = subprocess.run([str(PG_BINDIR / "pg_restore"), *connection, "--exit-on-error", "-d", target,
                              str(archive)], capture_output=True, text=True)
    assert restore.returncode == 0, restore.stderr


@pytest.fixture
def restored(server, fresh_db, tmp_path):
    """(original connection, restored connection, ids) after a pg_dump -Fc | pg_restore round trip."""
    with fresh_db.connect() as original:
        ids = populate_history(original)
        with FreshDatabase(server, template="template0") as copy:
            dump_and_restore(server, fresh_db.name, copy.name, tmp_path)
            with copy.connect() as conn:
                yield original, conn, ids


def test_every_row_is_kept_and_the_statistics_rebuilt(restored):
    original, conn, _ = restored
    kept = kept_rows(conn)
    assert all(kept.values()), "the test data leaves a table empty"
    assert kept == kept_rows(original)
    assert conn.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    assert conn.execute("SELECT * FROM ml_accuracy()").fetchall() == original.execute(
        "SELECT * FROM ml_accuracy()").fetchall()


def test_the_extension_is_the_same(restored):
    original, conn, _ = restored
    assert differences(snapshot(conn), snapshot(original)) == {}


def test_every_function_works(restored):
    _, conn, ids = restored
    assert failing_calls(conn, ids) == {}


def test_numbering_and_refinement_carry_on(restored):
    original, conn, ids = restored
    last = original.execute("SELECT max(id) FROM query_ml.feedback").fetchone()[0]
    new = conn.execute("SELECT feedback_id FROM ml_submit_feedback(%s, 100, 10)",
                       (ids["optimization"],)).fetchone()[0]
    assert new > last
    assert conn.execute("SELECT ml_record_optimization('SELECT 1 FROM brand_new', "
                        "'SELECT 1 FROM brand_new LIMIT 1', 'rewrite', 1)").fetchone()[0] \
        > original.execute("SELECT max(id) FROM query_ml.optimizations").fetchone()[0]
    # The new feedback is newer than the last run saw, so an incremental run picks its pattern up.
    run = conn.execute("SELECT * FROM ml_refine()").fetchone()
    refined = conn.execute("SELECT refined_version FROM query_ml.patterns WHERE id = %s",
                           (ids["pattern"],)).fetchone()[0]
    assert refined >= conn.execute("SELECT max(version) FROM query_ml.pattern_stats WHERE pattern_id = %s",
                                   (ids["pattern"],)).fetchone()[0], run
