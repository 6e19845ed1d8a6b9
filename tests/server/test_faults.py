"""Faults: a backend killed in the middle of ml_refine() or of a bulk load, and a server that
crashes in the middle of a refinement.  Afterwards the statistics are in step and the next
ml_refine() completes.

"In the middle" is made certain, never guessed with a sleep: another session holds a table
lock that the statement needs at a known step, and the backend is killed (or the server
crashed) once pg_locks shows it waiting for that lock, its earlier work done and not
committed."""
import random
import threading
import time

import psycopg
import pytest

pytestmark = pytest.mark.slow

FEEDBACK = 20_000

# Where ml_refine(full => true) is stopped: the table whose lock it waits for, held in SHARE
# mode (reads pass, writes wait).  By then the statistics are recomputed and compacted.
REFINE_STEPS = {
    "calibrating the patterns": "query_ml.patterns",         # calibrate_patterns, apply_status_rule
    "recording the run": "query_ml.refinement_runs",         # the last step: every change made
}


def seed(conn, patterns=50):
    conn.execute("CREATE TABLE IF NOT EXISTS t (a integer)")
    for i in range(patterns):
        conn.execute("SELECT ml_record_optimization(%s, %s, 'index', %s)",
                     (f"SELECT * FROM t{i} WHERE a = 1", f"CREATE INDEX ON t{i} (a)", 10 + i % 50))
    conn.execute(f"""INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms)
                     SELECT o.id, 100, 100 * random() FROM query_ml.optimizations o,
                            generate_series(1, {FEEDBACK} / {patterns})""")


def in_background(connect, sql, rows=None):
    """Run sql (or a COPY of rows) in a thread; returns (thread, state), state['pid'] set before
    the thread starts and state['error'] set by a failure."""
    conn = connect()
    state = {"pid": conn.info.backend_pid}

    def work():
        try:
            with conn:
                if rows is None:
                    conn.execute(sql).fetchall()
                else:
                    with conn.cursor().copy(sql) as copy:
                        for row in rows:
                            copy.write_row(row)
        except psycopg.Error as error:
            state["error"] = error

    thread = threading.Thread(target=work)
    thread.start()
    return thread, state


def holding(connect, table, mode="SHARE"):
    """An open transaction holding a lock on table; rollback() or close() releases it."""
    holder = connect(autocommit=False)
    holder.execute(f"LOCK TABLE {table} IN {mode} MODE")
    return holder


def wait_until_blocked(watcher, pid, thread, table):
    """Return once backend pid waits for its lock on table; fail if its thread ends first.  The
    bound only catches a broken test: the wait ends as soon as the server shows the lock wait."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if watcher.execute("SELECT EXISTS (SELECT FROM pg_locks WHERE pid = %s AND NOT granted "
                           "AND relation = %s::regclass)", (pid, table)).fetchone()[0]:
            return
        assert thread.is_alive(), f"the statement ended without waiting for its lock on {table}"
    pytest.fail(f"backend {pid} never waited for its lock on {table}")


def settled(conn):
    assert conn.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    assert conn.execute("SELECT status FROM ml_refine()").fetchone()[0] == "succeeded"


@pytest.mark.parametrize("table", REFINE_STEPS.values(), ids=REFINE_STEPS.keys())
def test_killed_in_the_middle_of_a_refinement(fresh_db, table):
    with fresh_db.connect() as conn:
        seed(conn)
        holder = holding(fresh_db.connect, table)
        try:
            thread, state = in_background(fresh_db.connect, "SELECT * FROM ml_refine(full => true)")
            wait_until_blocked(conn, state["pid"], thread, table)
            assert conn.execute("SELECT pg_terminate_backend(%s)", (state["pid"],)).fetchone()[0]
            thread.join()
        finally:
            holder.close()
        assert isinstance(state.get("error"), psycopg.OperationalError)     # the backend is gone
        assert conn.execute("SELECT count(*) FROM query_ml.refinement_runs").fetchone()[0] == 0
        settled(conn)


def test_killed_in_the_middle_of_a_bulk_load(fresh_db):
    with fresh_db.connect() as conn:
        seed(conn, patterns=20)
        before = conn.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0]
        ids = [r[0] for r in conn.execute("SELECT id FROM query_ml.optimizations")]
        rng = random.Random(1)
        rows = [(rng.choice(ids), 100.0, rng.uniform(1, 150)) for _ in range(100_000)]
        # Every row is in, uncommitted, when the statistics trigger waits to write pattern_stats.
        holder = holding(fresh_db.connect, "query_ml.pattern_stats", "EXCLUSIVE")
        try:
            thread, state = in_background(
                fresh_db.connect, "COPY query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                                  "FROM STDIN", rows)
            wait_until_blocked(conn, state["pid"], thread, "query_ml.pattern_stats")
            assert conn.execute("SELECT pg_terminate_backend(%s)", (state["pid"],)).fetchone()[0]
            thread.join()
        finally:
            holder.close()
        assert isinstance(state.get("error"), psycopg.OperationalError)
        assert conn.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == before
        settled(conn)


def test_a_crash_in_the_middle_of_a_refinement(own_cluster):
    connect = lambda **options: own_cluster.connect("crash", **options)     # noqa: E731
    with own_cluster.connect(own_cluster.create_database("crash")) as conn:
        seed(conn)
    holder = holding(connect, "query_ml.refinement_runs")
    try:
        thread, state = in_background(connect, "SELECT * FROM ml_refine(full => true)")
        with connect() as watcher:
            wait_until_blocked(watcher, state["pid"], thread, "query_ml.refinement_runs")
        own_cluster.restart("immediate")
        thread.join()
    finally:
        holder.close()
    assert isinstance(state.get("error"), psycopg.OperationalError)
    with connect() as conn:
        assert conn.execute("SELECT count(*) FROM query_ml.refinement_runs").fetchone()[0] == 0
        settled(conn)
