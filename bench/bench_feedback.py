"""Feedback writes: what the statistics triggers cost.

  bulk load: COPY of FEEDBACK_ROWS rows with the triggers, against the same COPY with them
             disabled (aim: throughput ratio >= 0.7)
  writers:   8 connections, single-row INSERTs, with and without triggers (aim: ratio >= 0.5,
             no lost update)

Each pair is measured in turn, repeated, and the medians compared.
"""
import os
import statistics
import sys
import tempfile
import threading
import time

import harness
import loading

ROWS = int(os.environ.get("BENCH_FEEDBACK_ROWS", 1_000_000))
PATTERNS = int(os.environ.get("BENCH_FEEDBACK_PATTERNS", 1000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
WRITERS, PER_WRITER = 8, int(os.environ.get("BENCH_PER_WRITER", 1000))


def set_triggers(conn, on):
    conn.execute(f"ALTER TABLE query_ml.feedback {'ENABLE' if on else 'DISABLE'} TRIGGER USER")


def bulk(conn, path, triggers):
    conn.execute("TRUNCATE query_ml.feedback")
    conn.execute("CHECKPOINT")
    set_triggers(conn, triggers)
    start = time.perf_counter()
    conn.execute(f"COPY query_ml.feedback ({loading.FEEDBACK_COLUMNS}) FROM '{path}' (FORMAT csv)")
    elapsed = time.perf_counter() - start
    set_triggers(conn, True)
    return ROWS / elapsed


def writers(server, db, optimizations, triggers):
    with server.connect(db) as conn:
        conn.execute("TRUNCATE query_ml.feedback")
        set_triggers(conn, triggers)
    few = optimizations[:4]
    errors = []

    def write(n):
        try:
            with server.connect(db) as conn:
                for i in range(PER_WRITER):
                    conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                                 "VALUES (%s, 100, %s)", (few[(n + i) % len(few)], (i * 7) % 150), prepare=True)
        except Exception as error:  # a deadlock or lost connection is a failure of the run
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    with server.connect(db) as conn:
        set_triggers(conn, True)
        counted = conn.execute("SELECT sum(applications) FROM query_ml.pattern_stats").fetchone()[0] if triggers else None
        differences = len(conn.execute("SELECT * FROM ml_check_stats()").fetchall()) if triggers else None
    return WRITERS * PER_WRITER / elapsed, errors, counted, differences


def main():
    with harness.Server() as server:
        db = server.create_database("bench")
        with server.connect(db) as conn:
            optimizations = loading.prepare_optimizations(conn, PATTERNS)
            path = os.path.join(tempfile.mkdtemp(prefix="qml-feedback-"), "feedback.csv")
            os.chmod(os.path.dirname(path), 0o755)
            loading.write_feedback_csv(path, optimizations, ROWS)
            rates = {True: [], False: []}
            for _ in range(ROUNDS):
                for triggers in (False, True):
                    rates[triggers].append(bulk(conn, path, triggers))
            checked = len(conn.execute("SELECT * FROM ml_check_stats()").fetchall())
        concurrent = {True: [], False: []}
        problems = []
        for _ in range(ROUNDS):
            for triggers in (False, True):
                rate, errors, counted, differences = writers(server, db, optimizations, triggers)
                concurrent[triggers].append(rate)
                problems += errors
                if triggers and (counted != WRITERS * PER_WRITER or differences):
                    problems.append(f"counted {counted} of {WRITERS * PER_WRITER}, {differences} differences")

    with_t, without = statistics.median(rates[True]), statistics.median(rates[False])
    print(f"\nbulk load of {ROWS:,} feedback rows ({PATTERNS} patterns, {len(optimizations)} optimizations), "
          f"COPY, {ROUNDS} rounds each")
    print(f"  without triggers  {without:>12,.0f} rows/s   (runs: {', '.join(f'{r:,.0f}' for r in rates[False])})")
    print(f"  with triggers     {with_t:>12,.0f} rows/s   (runs: {', '.join(f'{r:,.0f}' for r in rates[True])})")
    print(f"  ratio             {with_t / without:>12.2f}   (aim >= 0.70); statistics check after the load: "
          f"{checked} differences")
    cw, cwo = statistics.median(concurrent[True]), statistics.median(concurrent[False])
    print(f"{WRITERS} concurrent writers x {PER_WRITER} single-row INSERTs on 4 optimizations, {ROUNDS} rounds each")
    print(f"  without triggers  {cwo:>12,.0f} rows/s")
    print(f"  with triggers     {cw:>12,.0f} rows/s")
    print(f"  ratio             {cw / cwo:>12.2f}   (aim >= 0.50); lost updates or errors: {problems or 'none'}")
    return 1 if problems or checked else 0


if __name__ == "__main__":
    sys.exit(main())
