"""Faults: a backend killed in the middle of ml_refine() or of a bulk load, and a server that
crashes in the middle of a refinement.  Afterwards the statistics are in step and the next
ml_refine() completes."""
import random
import threading
import time

import psycopg
import pytest
from harness import Server     # bench/harness.py: a private cluster that can be crashed

FEEDBACK = 300_000


def seed(conn, patterns=200):
    conn.execute("CREATE TABLE IF NOT EXISTS t (a integer)")
    for i in range(patterns):
        conn.execute("SELECT ml_record_optimization(%s, %s, 'index', %s)",
                     (f"SELECT * FROM t{i} WHERE a = 1", f"CREATE INDEX ON t{i} (a)", 10 + i % 50))
    conn.execute(f"""INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms)
                     SELECT o.id, 100, 100 * random() FROM query_ml.optimizations o,
                            generate_series(1, {FEEDBACK} / {patterns})""")


def in_background(connect, sql, rows=None):
    """Run sql (or a COPY of rows) in a thread; returns (thread, {'pid', 'error'})."""
    state = {}

    def work():
        try:
            with connect() as conn:
                state["pid"] = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
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


def kill_when_busy(conn, state, busy_for=0.3, timeout=20):
    """Terminate the thread's backend once it has been running its statement for busy_for seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = state.get("pid")
        if pid and conn.execute("SELECT now() - query_start > make_interval(secs => %s) FROM pg_stat_activity "
                                "WHERE pid = %s AND state = 'active'", (busy_for, pid)).fetchone() == (True,):
            assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
            return
        time.sleep(0.05)
    pytest.fail("the statement never got busy")


def settled(conn):
    assert conn.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    assert conn.execute("SELECT status FROM ml_refine()").fetchone()[0] == "succeeded"


def test_killed_in_the_middle_of_a_refinement(fresh_db):
    with fresh_db.connect() as conn:
        seed(conn)
        thread, state = in_background(fresh_db.connect, "SELECT * FROM ml_refine(full => true)")
        kill_when_busy(conn, state)
        thread.join()
        assert isinstance(state.get("error"), psycopg.OperationalError)     # the backend is gone
        assert conn.execute("SELECT count(*) FROM query_ml.refinement_runs").fetchone()[0] == 0
        settled(conn)


def test_killed_in_the_middle_of_a_bulk_load(fresh_db):
    with fresh_db.connect() as conn:
        seed(conn, patterns=20)
        before = conn.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0]
        ids = [r[0] for r in conn.execute("SELECT id FROM query_ml.optimizations")]
        rng = random.Random(1)
        rows = ((rng.choice(ids), 100.0, rng.uniform(1, 150)) for _ in range(3_000_000))
        thread, state = in_background(
            fresh_db.connect, "COPY query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                              "FROM STDIN", rows)
        kill_when_busy(conn, state, busy_for=0.5)
        thread.join()
        assert "error" in state
        assert conn.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0] == before
        settled(conn)


def test_a_crash_in_the_middle_of_a_refinement():
    with Server() as cluster:
        with cluster.connect(cluster.create_database("crash")) as conn:
            seed(conn)
        thread, state = in_background(lambda: cluster.connect("crash"), "SELECT * FROM ml_refine(full => true)")
        with cluster.connect("crash") as watcher:
            deadline = time.monotonic() + 20
            while not (state.get("pid") and watcher.execute(
                    "SELECT now() - query_start > interval '0.3 seconds' FROM pg_stat_activity "
                    "WHERE pid = %s AND state = 'active'", (state["pid"],)).fetchone() == (True,)):
                assert time.monotonic() < deadline
                time.sleep(0.05)
        cluster.restart("immediate")
        thread.join()
        assert "error" in state
        with cluster.connect("crash") as conn:
            assert conn.execute("SELECT count(*) FROM query_ml.refinement_runs").fetchone()[0] == 0
            settled(conn)
