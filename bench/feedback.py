"""Feedback as it grows: one database per scale, 1,000 patterns with 2,000 optimizations each.

  bulk load      COPY of all the scale's rows with the statistics triggers, against the same COPY
                 with them disabled, in turn
  refinement     ml_refine(full => true), then 10,000 new rows and an incremental ml_refine(), in turn
  accuracy       ml_accuracy() in every scale's database, in turn, against the smallest scale
  writers        8 connections of single-row INSERTs, with and without the triggers, in turn,
                 over 7 paired rounds: the figure is the median of the rounds' ratios
"""
import os
import statistics
import tempfile
import threading
import time

import harness
import loading
from report import Figure

PATTERNS = 1000
NEW = 10_000
WRITERS = 8
WRITER_ROUNDS = 7
COPY = f"COPY query_ml.feedback ({loading.FEEDBACK_COLUMNS}) FROM '{{}}' (FORMAT csv)"


def set_triggers(conn, on):
    conn.execute(f"ALTER TABLE query_ml.feedback {'ENABLE' if on else 'DISABLE'} TRIGGER USER")


def timed(conn, sql):
    start = time.perf_counter()
    cursor = conn.execute(sql)
    if cursor.description:
        cursor.fetchall()
    return time.perf_counter() - start


def bulk(conn, path, rounds):
    """{triggers on: [seconds]} of COPY into an empty table; ends with the rows loaded, triggers on."""
    times = {False: [], True: []}
    for _ in range(rounds):
        for on in (False, True):
            conn.execute("TRUNCATE query_ml.feedback")
            conn.execute("CHECKPOINT")
            set_triggers(conn, on)
            times[on].append(timed(conn, COPY.format(path)))
    set_triggers(conn, True)
    conn.execute("VACUUM (ANALYZE) query_ml.feedback")
    conn.execute("CHECKPOINT")          # the loads' writes stay out of the refinement figures
    return times


def refine(conn, extra, rounds):
    """[full seconds], [incremental seconds]; the new rows are removed again after each round."""
    top = conn.execute("SELECT max(id) FROM query_ml.feedback").fetchone()[0]
    full, incremental = [], []
    for _ in range(rounds):
        full.append(timed(conn, "SELECT * FROM ml_refine(full => true)"))
        conn.execute(COPY.format(extra))
        incremental.append(timed(conn, "SELECT * FROM ml_refine()"))
        considered = conn.execute("SELECT feedback_considered FROM query_ml.refinement_runs "
                                  "ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert considered == NEW, f"the incremental run considered {considered} rows, not {NEW}"
        conn.execute("DELETE FROM query_ml.feedback WHERE id > %s", (top,))
        conn.execute("VACUUM query_ml.feedback")
    return full, incremental


def writers(server, db, optimizations, rounds, per_writer):
    """{triggers on: [rows/s]} and the problems seen (errors, lost updates, differences)."""
    rates, problems = {False: [], True: []}, []
    few = optimizations[:4]

    def write(n, errors):
        try:
            with server.connect(db) as conn:
                for i in range(per_writer):
                    conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, "
                                 "after_execution_ms) VALUES (%s, 100, %s)", (few[(n + i) % len(few)], (i * 7) % 150),
                                 prepare=True)
        except Exception as error:  # a deadlock or a lost connection fails the run
            errors.append(error)

    for _ in range(rounds):
        for on in (False, True):
            with server.connect(db) as conn:
                conn.execute("TRUNCATE query_ml.feedback")
                conn.execute("CHECKPOINT")      # no checkpoint of the bulk loads' WAL lands in a round
                set_triggers(conn, on)
            errors = []
            threads = [threading.Thread(target=write, args=(n, errors)) for n in range(WRITERS)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            rates[on].append(WRITERS * per_writer / (time.perf_counter() - start))
            problems += errors
            with server.connect(db) as conn:
                set_triggers(conn, True)
                if on:
                    counted = conn.execute("SELECT sum(applications) FROM query_ml.pattern_stats").fetchone()[0]
                    differences = len(conn.execute("SELECT * FROM ml_check_stats()").fetchall())
                    if counted != WRITERS * per_writer or differences:
                        problems.append(f"counted {counted} of {WRITERS * per_writer}, {differences} differences")
    return rates, problems


def measure(server, scales, rounds, accuracy_repeat, per_writer, log):
    figures, conns = [], {}
    folder = tempfile.mkdtemp(prefix="qml-feedback-")
    os.chmod(folder, 0o755)
    smallest, largest = min(scales), max(scales)
    try:
        for scale in sorted(scales):
            db = server.create_database(f"feedback_{scale}")
            conn = conns[scale] = server.connect(db)
            optimizations = loading.prepare_optimizations(conn, PATTERNS)
            main, extra = os.path.join(folder, f"{scale}.csv"), os.path.join(folder, f"{scale}-new.csv")
            loading.write_feedback_csv(main, optimizations, scale)
            loading.write_feedback_csv(extra, optimizations, NEW, seed=5, start=scale)

            loads = bulk(conn, main, rounds)
            differences = len(conn.execute("SELECT * FROM ml_check_stats()").fetchall())
            with_t, without = (harness.summary(loads[on])["median"] for on in (True, False))
            judged = scale == largest
            figures.append(Figure(
                "feedback", "bulk COPY, triggers on", scale, "s", loads[True], "triggers disabled", loads[False],
                without / with_t, "throughput", "ratio ≥ 0.7" if judged else None,
                without / with_t >= 0.7 and not differences if judged else None,
                note=f"{scale / with_t:,.0f} vs {scale / without:,.0f} rows/s; {differences} statistics differences",
                broken=bool(differences)))
            figures.append(Figure("feedback", "bulk COPY, triggers disabled", scale, "s", loads[False]))
            log(f"feedback: {scale:,} rows loaded: {with_t:.2f} s with triggers, {without:.2f} s without")

            full, incremental = refine(conn, extra, rounds)
            f, i = harness.summary(full)["median"], harness.summary(incremental)["median"]
            figures.append(Figure("feedback", "full ml_refine()", scale, "s", full))
            figures.append(Figure(
                "feedback", "incremental ml_refine(), 10k new rows", scale, "s", incremental, "full ml_refine()", full,
                f / i, "× faster", "≥ 10 × faster" if judged else None, f / i >= 10 if judged else None))
            log(f"feedback: {scale:,} rows refined: full {f:.2f} s, incremental {i:.3f} s")

        for conn in conns.values():
            conn.execute("SELECT * FROM ml_accuracy()").fetchall()
        times = harness.interleaved({scale: (lambda c=conn: c.execute("SELECT * FROM ml_accuracy()").fetchall())
                                     for scale, conn in conns.items()}, accuracy_repeat)
        base = [t * 1e3 for t in times[smallest]]
        for scale in sorted(scales):
            ms = [t * 1e3 for t in times[scale]]
            judged = scale == largest and scale != smallest
            ratio = harness.summary(ms)["median"] / harness.summary(base)["median"]
            figures.append(Figure("feedback", "ml_accuracy()", scale, "ms", ms, f"ml_accuracy() at {smallest:,}", base,
                                  ratio, f"× at {smallest // 1000}k", "about 1 (≤ 1.5)" if judged else None,
                                  ratio <= 1.5 if judged else None))

        # A server of their own: the bulk loads' WAL, dirty buffers and bloat stay out of this figure.
        # Measured without pg_stat_statements (the aim), then with it preloaded, as the workload
        # needs: it computes a query id for every statement, the triggers' own included.
        for label, overrides in (("", {"shared_preload_libraries": "'pg_cron'"}), (", pg_stat_statements preloaded", {})):
            os.sync()                       # the loads' writes stay out of this figure too
            with harness.Server(**overrides) as own:
                db = own.create_database("writers")
                with own.connect(db) as conn:
                    optimizations = loading.prepare_optimizations(conn, 10, seed=23)
                # Paired rounds, each with and without the triggers in turn, and the median of their ratios:
                # on a shared machine the load moves between rounds more than within one.
                rates, problems = writers(own, db, optimizations, max(rounds, WRITER_ROUNDS), per_writer)
            ratio = statistics.median(on / off for on, off in zip(rates[True], rates[False]))
            aim = "ratio ≥ 0.5, no lost update" if not label else "no lost update"
            figures.append(Figure(
                "writers", f"8 writers, single-row INSERT, triggers on{label}", WRITERS * per_writer, "rows/s",
                rates[True], "triggers disabled", rates[False], ratio, "throughput (median of paired rounds)", aim,
                (ratio >= 0.5 or bool(label)) and not problems, note="; ".join(map(str, problems)) or "no lost update, no error",
                broken=bool(problems)))
            log(f"writers{label}: {ratio:.2f} of the throughput without triggers; problems: {problems or 'none'}")
    finally:
        for conn in conns.values():
            conn.close()
    return figures
