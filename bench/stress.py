"""make stress: every concurrent write path against one server, then the statistics checked.

For STRESS_SECONDS (default 180), on a throwaway server (or on the test server, through run()):
- writers, each a connection of its own, mixing every write path: ml_submit_feedback, plain
  INSERT, COPY, UPDATE and DELETE of feedback, ml_update_feedback, ml_delete_feedback;
- one loop of ml_refine(), incremental and full in turn (compaction of the shards included);
- one loop changing settings, the success and regression thresholds among them;
- one loop editing optimizations: estimates, a move to another pattern of the same query,
  a delete and a new one.
Every call is one statement in autocommit, as applications write.  At the end it prints, per
operation, how many succeeded and how many ended with each SQLSTATE, and what ml_check_stats()
returns.  It fails (exit 1) on any deadlock (40P01), unique violation (23505), other
unexpected SQLSTATE, or statistics difference.
"""
import argparse
import collections
import os
import random
import sys
import threading
import time

import psycopg

# Three query shapes (three fingerprints, so several lock buckets), four optimizations each.
QUERIES = ["SELECT * FROM stress_orders WHERE customer_id = 42 AND status = 'open'",
           "SELECT * FROM stress_orders WHERE note = 'x' ORDER BY id",
           "SELECT count(*) FROM stress_orders WHERE id > 5"]
INDEXES = [f"CREATE INDEX ON stress_orders (customer_id{extra})" for extra in ("", ", status", ", id", ", note")]
# What a stressed operation may meet and still be right: a row another loop deleted first.
EXPECTED = {"P0002", "23503", "22004"}


def prepare(conn):
    """Two optimizations for each pattern: every query with every index; returns their ids."""
    conn.execute("CREATE TABLE IF NOT EXISTS stress_orders (id int, customer_id int, status text, note text)")
    return [conn.execute("SELECT ml_record_optimization(%s, %s, 'index', %s)", (query, index, 10 * (i + 2)))
            .fetchone()[0] for query in QUERIES for i, index in enumerate(INDEXES) for _ in range(2)]


class Tally:
    def __init__(self):
        self.lock, self.counts = threading.Lock(), collections.defaultdict(collections.Counter)

    def add(self, operation, outcome):
        with self.lock:
            self.counts[operation][outcome] += 1


def _feedback(rng):
    before = rng.uniform(1, 200)
    return before, before * rng.uniform(0.05, 1.3)


def writer(conn, rng, ids, tally, stop):
    while not stop.is_set():
        opt = rng.choice(ids())
        before, after = _feedback(rng)
        kind = rng.choice(["submit", "insert", "copy", "update", "delete", "api_update", "api_delete"])
        sql = {
            "submit": ("SELECT * FROM ml_submit_feedback(%s, %s, %s)", (opt, before, after)),
            "insert": ("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                       "VALUES (%s, %s, %s)", (opt, before, after)),
            # One row per statement: two statements locking the same rows in different orders would
            # deadlock on the rows themselves, in any PostgreSQL table.
            "update": ("UPDATE query_ml.feedback SET after_execution_ms = %s WHERE id = (SELECT id FROM "
                       "query_ml.feedback WHERE submitted_by = current_user ORDER BY random() LIMIT 1)", (after,)),
            "delete": ("DELETE FROM query_ml.feedback WHERE id IN (SELECT id FROM query_ml.feedback "
                       "ORDER BY random() LIMIT 1)", None),
            "api_update": ("SELECT * FROM ml_update_feedback((SELECT max(id) FROM query_ml.feedback), "
                           "after_execution_ms => %s)", (after,)),
            "api_delete": ("SELECT ml_delete_feedback((SELECT min(id) FROM query_ml.feedback))", None),
        }.get(kind)
        run(tally, kind, lambda: _copy(conn, rng, opt) if kind == "copy" else _execute(conn, *sql))


def _execute(conn, sql, args):
    cursor = conn.execute(sql, args)
    if cursor.description:
        cursor.fetchall()


def _copy(conn, rng, opt):
    with conn.cursor() as cur, cur.copy("COPY query_ml.feedback (optimization_id, before_execution_ms, "
                                        "after_execution_ms) FROM STDIN") as copy:
        for _ in range(rng.randint(1, 50)):
            copy.write_row((opt, *_feedback(rng)))


def refiner(conn, rng, ids, tally, stop):
    full = False
    while not stop.is_set():
        run(tally, "refine full" if full else "refine", lambda: _execute(
            conn, "SELECT status FROM ml_refine(full => %s)", (full,)))
        full = not full


def settings(conn, rng, ids, tally, stop):
    while not stop.is_set():
        name, value = rng.choice([("success_min_improvement", rng.choice(["3", "5", "10"])),
                                  ("regression_threshold", rng.choice(["-5", "-2"])),
                                  ("calibration_strength", rng.choice(["3", "5"]))])
        run(tally, "set " + name, lambda: _execute(conn, "SELECT ml_set_setting(%s, %s)", (name, value)))


def editor(conn, rng, ids, tally, stop):
    while not stop.is_set():
        current = ids()
        opt = rng.choice(current)
        kind = rng.choice(["estimate", "move", "delete"])
        if kind == "estimate":
            run(tally, "edit estimate", lambda: _execute(
                conn, "UPDATE query_ml.optimizations SET estimated_improvement = %s WHERE id = %s",
                (rng.randint(-20, 90), opt)))
        elif kind == "move":
            run(tally, "edit pattern", lambda: _execute(conn, """
                UPDATE query_ml.optimizations SET pattern_id = (SELECT p.id FROM query_ml.patterns p
                 WHERE p.fingerprint = (SELECT q.fingerprint FROM query_ml.patterns q JOIN query_ml.optimizations o
                                          ON o.pattern_id = q.id WHERE o.id = %s)
                 ORDER BY random() LIMIT 1) WHERE id = %s""", (opt, opt)))
        elif len(current) > 12:
            run(tally, "edit delete", lambda: _execute(conn, "DELETE FROM query_ml.optimizations WHERE id = %s",
                                                       (opt,)))
            run(tally, "edit record", lambda: _execute(conn, "SELECT ml_record_optimization(%s, %s, 'index', 30)",
                                                       (rng.choice(QUERIES), rng.choice(INDEXES))))


def run(tally, operation, call):
    try:
        call()
        tally.add(operation, "ok")
    except psycopg.Error as error:
        tally.add(operation, error.sqlstate or type(error).__name__)


def stress(connect, seconds, writers=4, seed=1):
    """Run every loop for seconds; returns (counts per operation, ml_check_stats rows)."""
    with connect() as conn:
        prepare(conn)
    tally, stop = Tally(), threading.Event()

    def ids():
        with id_lock:
            if time.monotonic() > cache["at"] + 0.5:
                cache["ids"] = [r[0] for r in cache["conn"].execute("SELECT id FROM query_ml.optimizations")]
                cache["at"] = time.monotonic()
            return cache["ids"] or [0]
    id_lock, cache = threading.Lock(), {"conn": connect(), "at": 0.0, "ids": []}
    loops = [writer] * writers + [refiner, settings, editor]
    connections = [connect() for _ in loops]
    threads = [threading.Thread(target=loop, args=(conn, random.Random(seed + n), ids, tally, stop))
               for n, (loop, conn) in enumerate(zip(loops, connections))]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    for conn in connections + [cache["conn"]]:
        conn.close()
    with connect() as conn:
        differences = conn.execute("SELECT * FROM ml_check_stats()").fetchall()
    return tally.counts, differences


def verdict(counts, differences):
    """The lines to print, and whether the run failed."""
    lines, failed = [], bool(differences)
    for operation in sorted(counts):
        outcomes = counts[operation]
        bad = {state: n for state, n in outcomes.items() if state not in EXPECTED | {"ok"}}
        failed |= bool(bad)
        lines.append(f"{operation:<34} " + ", ".join(f"{state} {n}" for state, n in sorted(outcomes.items()))
                     + ("   <- unexpected" if bad else ""))
    lines.append(f"ml_check_stats(): {'no rows' if not differences else f'{len(differences)} differences'}")
    lines += [f"  {row}" for row in differences[:20]]
    return lines, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("STRESS_SECONDS", 180)))
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    import harness
    with harness.Server() as server:
        name = server.create_database("stress")
        print(f"query_ml stress: {args.writers} writers, refinement, settings and optimization edits for "
              f"{args.seconds:g} s", flush=True)
        counts, differences = stress(lambda: server.connect(name), args.seconds, args.writers)
    lines, failed = verdict(counts, differences)
    print("\n".join(lines))
    print("stress: FAILED" if failed else "stress: passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
