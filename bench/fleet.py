"""A fleet's throughput (README, "Fleet"): the time until the hub's statistics include 100,000
feedback rows that two members loaded at once (50,000 each, one INSERT … SELECT per member, as a
bulk load would), beside the time of the same load into a single database; and the same for
single-row transactions (2,000 on each member, one row each, as writers record them).  Three
clusters of their own (wal_level = logical, durable commits), a fleet set up with query_ml's
helpers; each round loads more rows."""
import concurrent.futures
import time

from report import Figure
from tests.cluster import Cluster

SETTINGS = {"wal_level": "logical", "max_wal_senders": "10", "max_replication_slots": "10",
            "max_logical_replication_workers": "6", "max_worker_processes": "16", "max_connections": "30",
            "shared_buffers": "'256MB'", "max_wal_size": "'4GB'", "checkpoint_timeout": "'30min'",
            "autovacuum": "off", "wal_retrieve_retry_interval": "'500ms'", "log_min_messages": "warning"}
DB = "app"
SHAPES = 20
LOAD = """INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms)
          SELECT o.id, 100, 100 - (g %% 60) FROM query_ml.optimizations o, generate_series(1, %s) g"""
ONE = """INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms)
         VALUES ((SELECT min(id) FROM query_ml.optimizations), 100, 60)"""
SINGLE_ROWS = 2000         # per member and round


class Node(Cluster):
    def __init__(self, name):
        super().__init__(SETTINGS, prefix=f"qml-bench-fleet-{name}-")

    def __enter__(self):
        super().__enter__()
        with self.connect() as conn:
            conn.execute(f"CREATE DATABASE {DB}")
        with self.connect(DB) as conn:
            conn.execute("CREATE EXTENSION query_ml CASCADE")
        return self

    @property
    def conninfo(self):
        return f"host={self.dir} port=5432 dbname={DB} user=query_ml_fleet"


def record_shapes(conn):
    for i in range(SHAPES):
        table = "t_" + "abcdefghijklmnopqrstuvwxyz"[i]
        conn.execute("SELECT ml_record_optimization(%s, %s, 'index', 30)",
                     (f"SELECT * FROM {table} WHERE a = 1", f"CREATE INDEX ON {table} (a)"))


def applications(conn):
    return conn.execute("SELECT coalesce(sum(applications), 0) FROM query_ml.pattern_totals").fetchone()[0]


def wait_until(conn, total, timeout=1800):
    deadline = time.monotonic() + timeout
    while applications(conn) < total:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the hub's statistics did not reach {total} rows within {timeout} s")
        time.sleep(0.05)


def singles(node, count):
    with node.connect(DB) as conn:
        for _ in range(count):
            conn.execute(ONE)


def timed_loads(hub_conn, nodes, load, rows):
    """Seconds until the hub's statistics hold rows more, while load(node) runs on each node at once."""
    target = applications(hub_conn) + rows if hub_conn is not None else None
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(len(nodes)) as pool:
        for done in [pool.submit(load, node) for node in nodes]:
            done.result()
    if target is not None:
        wait_until(hub_conn, target)
    return time.perf_counter() - started


def measure(log=print, rounds=3, rows=100_000):
    per_member = rows // 2 // SHAPES          # rows per optimization and member
    times = {"bulk": ([], []), "single": ([], [])}
    with Node("hub") as hub, Node("a") as a, Node("b") as b, Node("single") as single:
        with hub.connect(DB) as h, a.connect(DB) as ca, b.connect(DB) as cb, single.connect(DB) as cs:
            for conn, name in ((ca, "a"), (cb, "b")):
                conn.execute(f"CALL ml_fleet_publish('{name}')")
            h.execute("CALL ml_fleet_publish('hub', hub => true)")
            for node, name in ((a, "a"), (b, "b")):
                h.execute("SELECT * FROM ml_fleet_add_member(%s, %s)", (name, node.conninfo))
            for conn in (ca, cb):
                conn.execute("SELECT * FROM ml_fleet_join(%s)", (hub.conninfo,))
                record_shapes(conn)
            record_shapes(cs)
            record_shapes(cs)              # the same optimizations as the two members together
            deadline = time.monotonic() + 120
            while h.execute("SELECT count(*) FROM query_ml.optimizations").fetchone()[0] < 2 * SHAPES:
                if time.monotonic() > deadline:
                    raise RuntimeError("the members' optimizations did not reach the hub")
                time.sleep(0.05)

            def bulk(node):
                with node.connect(DB) as conn:
                    conn.execute(LOAD, (per_member,))

            for round_ in range(rounds):
                fleet_s = timed_loads(h, [a, b], bulk, rows)
                one_s = timed_loads(None, [single], bulk, 0)    # its 40 optimizations: the same 100,000 rows
                times["bulk"][0].append(fleet_s)
                times["bulk"][1].append(one_s)
                fleet_s = timed_loads(h, [a, b], lambda node: singles(node, SINGLE_ROWS), 2 * SINGLE_ROWS)
                one_s = timed_loads(None, [single, single], lambda node: singles(node, SINGLE_ROWS), 0)
                times["single"][0].append(fleet_s)
                times["single"][1].append(one_s)
                log(f"fleet: round {round_ + 1}: {rows:,} bulk-loaded rows in the hub's statistics after "
                    f"{times['bulk'][0][-1]:.1f} s, into one database {times['bulk'][1][-1]:.1f} s; "
                    f"{2 * SINGLE_ROWS:,} single-row transactions {fleet_s:.1f} s, into one database {one_s:.1f} s")
            differences = h.execute("SELECT count(*) FROM ml_check_stats()").fetchone()[0]

    def median(samples):
        return sorted(samples)[len(samples) // 2]

    note = f"ml_check_stats() on the hub after every round: {differences} differences"
    return [Figure("feedback", "fleet: hub statistics include rows bulk-loaded on two members", rows, "s",
                   times["bulk"][0], "the same load into one database", times["bulk"][1],
                   median(times["bulk"][0]) / median(times["bulk"][1]), "× one database",
                   note=f"{rows // 2:,} rows on each of two members at once, one INSERT each; the hub applies them row "
                        f"by row and merges each transaction's rows in one statement when it commits; " + note,
                   broken=differences != 0),
            Figure("feedback", "fleet: hub statistics include single-row transactions of two members", 2 * SINGLE_ROWS,
                   "s", times["single"][0], "the same transactions in one database", times["single"][1],
                   median(times["single"][0]) / median(times["single"][1]), "× one database",
                   note=f"{SINGLE_ROWS:,} one-row transactions on each of two members at once (two writers on the one "
                        f"database); " + note, broken=differences != 0)]
