"""Matching with many stored patterns: an exact match against a PL/Python function that
only computes the fingerprint, and a similarity match.

    aims: exact match <= 1.3 x fingerprint only; similarity match median < 5 ms
"""
import os
import random
import sys

import harness
import loading
import workload

PATTERNS = int(os.environ.get("BENCH_PATTERNS", 100000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 600))


def main():
    results = {}
    with harness.Server() as server:
        conn = server.connect(server.create_database("bench"))
        shapes = workload.shapes(PATTERNS)
        with harness.stopwatch("load", results):
            stored = loading.load_patterns(conn, shapes)
        rng = random.Random(99)
        picks = [shapes[rng.randrange(len(shapes))] for _ in range(REPEAT)]
        exact = [workload.render(rng, s) for s in picks]
        near = []
        while len(near) < REPEAT:
            sql = workload.render(rng, workload.mutate(rng, picks[len(near) % len(picks)]))
            if not conn.execute("SELECT EXISTS (SELECT 1 FROM query_ml.patterns WHERE fingerprint = ml_fingerprint(%s))",
                                (sql,)).fetchone()[0]:
                near.append(sql)

        # Warm the session: Python, pglast and the cached plans.
        for sql in exact[:20] + near[:20]:
            conn.execute("SELECT * FROM ml_match_pattern(%s, min_confidence => 0)", (sql,)).fetchall()
        it = {"exact": iter(exact), "fp": iter(exact), "near": iter(near)}
        rows = {"exact": 0, "near": 0}

        def run(kind, query):
            def call():
                found = conn.execute(query, (next(it[kind]),), prepare=True).fetchall()
                if kind in rows:
                    rows[kind] += bool(found)
            return call

        times = harness.interleaved({
            "fingerprint only": run("fp", "SELECT ml_fingerprint(%s)"),
            "exact match": run("exact", "SELECT * FROM ml_match_pattern(%s, min_confidence => 0)"),
            "similarity match": run("near", "SELECT * FROM ml_match_pattern(%s, min_confidence => 0)"),
        }, REPEAT)
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('query_ml.patterns'))").fetchone()[0]

    fp = harness.summary(times["fingerprint only"])
    ex = harness.summary(times["exact match"])
    near_s = harness.summary(times["similarity match"])
    print(f"\nmatching with {stored} stored patterns ({size}); loaded in {results['load']:.0f} s; "
          f"{REPEAT} calls each, interleaved")
    print(f"{'figure':<22}{'median':>10}{'q1':>10}{'q3':>10}   ratio / aim")
    for name, s in (("fingerprint only", fp), ("exact match", ex), ("similarity match", near_s)):
        print(f"{name:<22}{s['median'] * 1e3:>8.3f}ms{s['q1'] * 1e3:>8.3f}ms{s['q3'] * 1e3:>8.3f}ms", end="")
        if name == "exact match":
            print(f"   {ex['median'] / fp['median']:.2f} x fingerprint (aim <= 1.30)", end="")
        if name == "similarity match":
            print(f"   {near_s['median'] * 1e3:.2f} ms (aim < 5 ms)", end="")
        print()
    print(f"exact calls that found their pattern: {rows['exact']}/{REPEAT}; "
          f"similarity calls that found a match: {rows['near']}/{REPEAT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
