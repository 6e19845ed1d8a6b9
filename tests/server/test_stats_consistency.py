"""The maintained statistics stay exactly in step with the feedback rows, whatever writes them."""
import datetime
import threading

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

START = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
OPTIMIZATIONS = [
    ("SELECT * FROM a WHERE x = 1", "CREATE INDEX ON a (x)", "index", 30),
    ("SELECT * FROM a WHERE x = 1", "CREATE INDEX ON a (x, y)", "index", 60),
    ("SELECT * FROM b WHERE y > 2", "SELECT * FROM b WHERE y > 2 LIMIT 10", "rewrite", -5),
    ("SELECT count(*) FROM c", "SET work_mem = '64MB'", "setting", 100),
]


def prepare(conn):
    return [conn.execute("SELECT ml_record_optimization(%s, %s, %s, %s)", o).fetchone()[0] for o in OPTIMIZATIONS]


rows = st.lists(st.tuples(
    st.integers(0, len(OPTIMIZATIONS) - 1),
    st.floats(0.01, 1e6, allow_nan=False), st.floats(0, 1e6, allow_nan=False),
    st.one_of(st.none(), st.integers(1, 5)), st.integers(0, 400)), min_size=1, max_size=25)
operations = st.lists(st.one_of(
    st.tuples(st.just("insert"), rows),
    st.tuples(st.just("copy"), rows),
    st.tuples(st.just("update"), st.integers(2, 5), st.integers(0, 4), st.floats(0, 1e5, allow_nan=False)),
    st.tuples(st.just("move"), st.integers(2, 5), st.integers(0, 4), st.integers(0, len(OPTIMIZATIONS) - 1)),
    st.tuples(st.just("redate"), st.integers(2, 5), st.integers(0, 4), st.integers(-30, 30)),
    st.tuples(st.just("delete"), st.integers(2, 5), st.integers(0, 4)),
    st.tuples(st.just("estimate"), st.integers(0, len(OPTIMIZATIONS) - 1), st.integers(-1000, 100)),
    st.tuples(st.just("threshold"), st.integers(-20, 60)),
    st.tuples(st.just("truncate")),
), min_size=1, max_size=12)


def run(conn, ids, operation):
    kind, args = operation[0], operation[1:]
    if kind in ("insert", "copy"):
        values = [(ids[o], before, after, rating, START + datetime.timedelta(days=day))
                  for o, before, after, rating, day in args[0]]
        if kind == "insert":
            conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, "
                         "rating, applied_at) SELECT * FROM unnest(%s::bigint[], %s::float8[], %s::float8[], "
                         "%s::smallint[], %s::timestamptz[])", [list(column) for column in zip(*values)])
        else:
            with conn.cursor().copy("COPY query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, "
                                    "rating, applied_at) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
    elif kind == "update":
        k, r, after = args
        conn.execute("UPDATE query_ml.feedback SET after_execution_ms = %s WHERE id %% %s = %s", (after, k, r))
    elif kind == "move":
        k, r, o = args
        conn.execute("UPDATE query_ml.feedback SET optimization_id = %s WHERE id %% %s = %s", (ids[o], k, r))
    elif kind == "redate":
        k, r, days = args
        conn.execute("UPDATE query_ml.feedback SET applied_at = applied_at + make_interval(days => %s) "
                     "WHERE id %% %s = %s", (days, k, r))
    elif kind == "delete":
        k, r = args
        conn.execute("DELETE FROM query_ml.feedback WHERE id %% %s = %s", (k, r))
    elif kind == "estimate":
        o, estimate = args
        conn.execute("UPDATE query_ml.optimizations SET estimated_improvement = %s WHERE id = %s", (estimate, ids[o]))
    elif kind == "threshold":
        conn.execute("SELECT ml_set_setting('success_min_improvement', %s)", (str(args[0]),))
    else:
        conn.execute("TRUNCATE query_ml.feedback")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=operations)
def test_random_writes_leave_no_difference(fresh_db, sequence):
    with fresh_db.connect() as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM query_ml.optimizations ORDER BY id")] or prepare(conn)
        conn.execute("TRUNCATE query_ml.feedback")
        conn.execute("SELECT ml_reset_setting('success_min_improvement')")
        for operation in sequence:
            run(conn, ids, operation)
        assert conn.execute("SELECT * FROM ml_check_stats()").fetchall() == []
        assert conn.execute("SELECT sum(applications) FROM query_ml.pattern_totals").fetchone()[0] \
            == conn.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0]


def test_eight_concurrent_writers_lose_nothing(fresh_db):
    with fresh_db.connect() as conn:
        ids = prepare(conn)[:3]
    errors, per_writer, writers = [], 2000, 8

    def write(n):
        try:
            with fresh_db.connect() as conn:
                for i in range(per_writer):
                    conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, "
                                 "after_execution_ms, rating) VALUES (%s, 100, %s, %s)",
                                 (ids[(n + i) % len(ids)], (i * 7) % 150, 1 + i % 5))
        except psycopg.Error as error:      # a deadlock would land here
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with fresh_db.connect() as conn:
        assert conn.execute("SELECT sum(applications) FROM query_ml.pattern_totals").fetchone()[0] == writers * per_writer
        assert conn.execute("SELECT * FROM ml_check_stats()").fetchall() == []
