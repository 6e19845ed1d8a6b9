"""Refinement and accuracy with many feedback rows.

  full:        ml_refine(full => true) on FEEDBACK_ROWS rows (aim: under 10 s)
  incremental: ml_refine() after 10,000 new rows on top (aim: under 0.5 s, and at least
               10 times faster than the full run)
  accuracy:    ml_accuracy() at FEEDBACK_ROWS rows, against the same at 10,000 rows
               (aim: under 10 ms, about the same: it reads maintained sums, not rows)
"""
import os
import statistics
import sys
import tempfile
import time

import harness
import loading

ROWS = int(os.environ.get("BENCH_FEEDBACK_ROWS", 1_000_000))
PATTERNS = int(os.environ.get("BENCH_FEEDBACK_PATTERNS", 1000))
NEW = 10_000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))


def timed(conn, sql, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    return times


def main():
    folder = tempfile.mkdtemp(prefix="qml-refine-")
    os.chmod(folder, 0o755)
    with harness.Server() as server, server.connect(server.create_database("bench")) as conn:
        optimizations = loading.prepare_optimizations(conn, PATTERNS)
        small, big, extra = (os.path.join(folder, name) for name in ("small.csv", "big.csv", "extra.csv"))
        loading.write_feedback_csv(small, optimizations, NEW)
        loading.write_feedback_csv(big, optimizations, ROWS)
        loading.write_feedback_csv(extra, optimizations, NEW, seed=5, start=ROWS)

        conn.execute(f"COPY query_ml.feedback ({loading.FEEDBACK_COLUMNS}) FROM '{small}' (FORMAT csv)")
        conn.execute("SELECT * FROM ml_refine()")
        timed(conn, "SELECT * FROM ml_accuracy()", 5)
        accuracy_small = timed(conn, "SELECT * FROM ml_accuracy()", 50)

        conn.execute("TRUNCATE query_ml.feedback")
        conn.execute(f"COPY query_ml.feedback ({loading.FEEDBACK_COLUMNS}) FROM '{big}' (FORMAT csv)")
        conn.execute("VACUUM ANALYZE query_ml.feedback")
        full, incremental = [], []
        for round_ in range(ROUNDS):
            full += timed(conn, "SELECT * FROM ml_refine(full => true)", 1)
            conn.execute(f"COPY query_ml.feedback ({loading.FEEDBACK_COLUMNS}) FROM '{extra}' (FORMAT csv)")
            incremental += timed(conn, "SELECT * FROM ml_refine()", 1)
            considered = conn.execute("SELECT feedback_considered, patterns_considered FROM query_ml.refinement_runs "
                                      "ORDER BY id DESC LIMIT 1").fetchone()
        timed(conn, "SELECT * FROM ml_accuracy()", 5)
        accuracy_big = timed(conn, "SELECT * FROM ml_accuracy()", 50)
        differences = len(conn.execute("SELECT * FROM ml_check_stats()").fetchall())
        total = conn.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0]

    f, i = statistics.median(full), statistics.median(incremental)
    a_small, a_big = statistics.median(accuracy_small), statistics.median(accuracy_big)
    print(f"\nrefinement over {ROWS:,} feedback rows ({PATTERNS} patterns, {len(optimizations)} optimizations), "
          f"{ROUNDS} rounds")
    print(f"  full ml_refine                  {f:>8.3f} s    (aim < 10 s; runs: {', '.join(f'{t:.2f}' for t in full)})")
    print(f"  incremental, {NEW:,} new rows   {i:>8.3f} s    (aim < 0.5 s; runs: {', '.join(f'{t:.3f}' for t in incremental)}; "
          f"last considered {considered[0]:,} rows, {considered[1]} patterns)")
    print(f"  full / incremental              {f / i:>8.1f} x    (aim >= 10 x)")
    print(f"ml_accuracy(), median of 50 calls")
    print(f"  at {NEW:,} rows                 {a_small * 1e3:>8.3f} ms")
    print(f"  at {total:,} rows             {a_big * 1e3:>8.3f} ms   (aim < 10 ms); ratio {a_big / a_small:.2f} (aim: about 1)")
    print(f"statistics check at the end: {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
