"""Matching as the stored patterns grow: one database grows from scale to scale, and at each
scale the same figures are measured in turn.

  fingerprint only   ml_fingerprint(sql), a PL/Python function that does nothing else: the reference
  exact match        ml_match_pattern(sql) for a query whose pattern is stored, in a warm session
  similarity match   ml_match_pattern(sql) for a query one predicate away from a stored one
  cold start         the first ml_match_pattern(sql) in a new session, against a warm one in it
"""
import gc
import random
import time

import harness
import loading
import workload
from report import Figure

MATCH = "SELECT * FROM ml_match_pattern(%s, min_confidence => 0)"


def queries(conn, shapes, count, seed):
    """count queries whose pattern is stored, and count one predicate away from any stored one."""
    rng = random.Random(seed)
    picks = [shapes[rng.randrange(len(shapes))] for _ in range(count)]
    exact = [workload.render(rng, s) for s in picks]
    near = []
    while len(near) < count:
        sql = workload.render(rng, workload.mutate(rng, picks[len(near) % len(picks)]))
        if not conn.execute("SELECT EXISTS (SELECT FROM query_ml.patterns WHERE fingerprint = ml_fingerprint(%s))",
                            (sql,)).fetchone()[0]:
            near.append(sql)
    return exact, near


def warm(conn, exact, near, repeat):
    """Warm calls, each figure interleaved with its reference only, so that neither follows a
    call of the other pair: {figure: [seconds]}, and how many calls found the kind of match they should."""
    for sql in exact[:20] + near[:20]:
        conn.execute(MATCH, (sql,)).fetchall()
    found = {"exact": 0, "near": 0}
    wanted = {"exact": "exact", "near": "similar"}

    def run(kind, query, queries):
        feed = iter(queries)

        def call():
            rows = conn.execute(query, (next(feed),), prepare=True).fetchall()
            if kind in found:
                found[kind] += bool(rows) and rows[0][1] == wanted[kind]
        return call

    pair = harness.interleaved({"fp": run("fp", "SELECT ml_fingerprint(%s)", exact),
                                "exact": run("exact", MATCH, exact)}, repeat)
    near_pair = harness.interleaved({"exact": run("exact, again", MATCH, exact[::-1]),
                                     "near": run("near", MATCH, near)}, repeat)
    times = {"fp": pair["fp"], "exact": pair["exact"], "exact beside near": near_pair["exact"],
             "near": near_pair["near"]}
    return times, found


def cold(server, db, exact, repeat, warm_after=5):
    """The first match of repeat new sessions, and a warm one in each (after warm_after calls), in seconds."""
    first, warmed = [], []
    for i in range(repeat):
        with server.connect(db) as conn:
            for n in range(warm_after + 1):
                start = time.perf_counter()
                conn.execute(MATCH, (exact[(i * (warm_after + 1) + n) % len(exact)],)).fetchall()
                if n in (0, warm_after):
                    (first if n == 0 else warmed).append(time.perf_counter() - start)
    return first, warmed


def measure(server, scales, repeat, cold_repeat, log):
    figures = []
    db = server.create_database("patterns")
    every = workload.shapes(max(scales))
    gc.freeze()     # a million shapes would make each garbage collection scan them all, mid-timing
    seen = set()
    with server.connect(db) as conn:
        loaded = 0
        for scale in sorted(scales):
            start = time.perf_counter()
            loading.load_patterns(conn, every[loaded:scale], seen=seen, first=loaded)
            loaded = scale
            conn.execute("VACUUM (ANALYZE) query_ml.patterns")
            conn.execute("CHECKPOINT")
            stored = conn.execute("SELECT count(*) FROM query_ml.patterns").fetchone()[0]
            size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('query_ml.patterns'))").fetchone()[0]
            log(f"patterns: {stored:,} stored ({size}) in {time.perf_counter() - start:.0f} s")
            exact, near = queries(conn, every[:scale], repeat, seed=scale)
            times, found = warm(conn, exact, near, repeat)
            first, warmed = cold(server, db, exact, cold_repeat)
            ms = {name: [t * 1e3 for t in samples] for name, samples in times.items()}
            fp, ex, ex2, near_ms = (harness.summary(ms[k])["median"] for k in ("fp", "exact", "exact beside near", "near"))
            judged = scale == 100_000
            figures += [
                Figure("patterns", "fingerprint only (PL/Python)", scale, "ms", ms["fp"]),
                Figure("patterns", "exact match, warm", scale, "ms", ms["exact"], "fingerprint only", ms["fp"],
                       ex / fp, "× fingerprint", "ratio ≤ 1.3" if judged else None,
                       ex / fp <= 1.3 if judged else None, note=f"{found['exact']}/{repeat} found their own pattern",
                       broken=found["exact"] != repeat),
                Figure("patterns", "similarity match", scale, "ms", ms["near"], "exact match", ms["exact beside near"],
                       near_ms / ex2, "× exact", "median < 5 ms" if judged else None,
                       near_ms < 5 if judged else None, note=f"{found['near']}/{repeat} found a similar pattern"),
                Figure("patterns", "cold start: first match in a new session", scale, "ms",
                       [t * 1e3 for t in first], "6th match, same session", [t * 1e3 for t in warmed],
                       harness.summary(first)["median"] / harness.summary(warmed)["median"], "× warm"),
            ]
            log(f"patterns: {scale:,} measured: fingerprint {fp:.3f} ms, exact {ex:.3f} ms, similarity {near_ms:.3f} ms")
    return figures
