"""Bulk loading of patterns for benchmarks: rows computed with the query_ml package
itself (as ml_store_pattern would) in worker processes, then COPY."""
import multiprocessing
import os
import random

from query_ml import patterns
from query_ml.parsing import PARSER_VERSION
from query_ml.similarity import FEATURE_VERSION
from tests.server.triggers import past_the_triggers

import workload


class _Plpy:
    class Error(Exception):
        pass

    def error(self, message, **_):
        raise self.Error(message)


def _rows(args):
    start, shapes, seed = args
    rng, plpy, out = random.Random(seed), _Plpy(), []
    for offset, shape in enumerate(shapes):
        sql = workload.render(rng, shape)
        found = patterns.computed(plpy, sql)
        table = f"t{shape['tables'][0]:03d}"
        ddl = f"CREATE INDEX ON {table} (c{1 + (start + offset) % (workload.COLUMNS - 1)})"
        out.append((found["fingerprint"], PARSER_VERSION, found["normalized"], found["signature"], "index", ddl,
                    FEATURE_VERSION, list(found["sketch"].tokens), list(found["sketch"].keys)))
    return out


def load_patterns(conn, shapes, source="bench", workers=2, chunk=2000, seen=None, first=0):
    """Store one pattern per shape under source; returns how many were stored.  Loading more
    into the same table: pass the same seen set, and first, the number of shapes loaded before."""
    source_id = conn.execute("SELECT ml_register_source(%s)", (source,)).fetchone()[0]
    jobs = [(first + i, shapes[i:i + chunk], first + i) for i in range(0, len(shapes), chunk)]
    stored, seen = 0, set() if seen is None else seen
    # The rows are computed as the row trigger would (patterns.computed, in parallel), so the
    # load goes past it (query_ml's triggers fire also in replica mode).
    with past_the_triggers(conn, "patterns"), multiprocessing.Pool(workers) as pool, conn.cursor() as cur:
        for rows in pool.imap(_rows, jobs):
            rows = [row for row in rows if (row[0], row[5]) not in seen and not seen.add((row[0], row[5]))]
            # Each pattern as a refinement leaves one with good evidence (score 1, expected 50%), so that
            # matching finds it past the gate and the figures time the lookup, not an empty search.
            with cur.copy("""COPY query_ml.patterns (fingerprint, parser_version, normalized_query, signature,
                               optimization_type, optimized_template, feature_version, tokens, lsh_keys,
                               source_id, dialect, score, calibrated_improvement) FROM STDIN""") as copy:
                for row in rows:
                    copy.write_row((*row, source_id, "postgresql", 1.0, 50.0))
            stored += len(rows)
    conn.execute("ANALYZE query_ml.patterns")
    return stored


def prepare_optimizations(conn, patterns, per_pattern=2, seed=11):
    """patterns stored patterns with per_pattern optimizations each; returns the optimization ids."""
    load_patterns(conn, workload.shapes(patterns, seed=seed))
    with past_the_triggers(conn, "optimizations"):     # originals taken from their patterns, as derived
        conn.execute("""INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, estimated_improvement)
                        SELECT p.id, (SELECT id FROM query_ml.sources LIMIT 1), p.normalized_query, (p.id %% 90) - 10
                          FROM query_ml.patterns p, generate_series(1, %s)""", (per_pattern,))
    return [r[0] for r in conn.execute("SELECT id FROM query_ml.optimizations ORDER BY id")]


def write_feedback_csv(path, optimizations, rows, seed=3, start=0):
    """rows of feedback for COPY ... (optimization_id, before_execution_ms, after_execution_ms, rating, applied_at)."""
    rng = random.Random(seed)
    with open(path, "w") as out:
        for i in range(start, start + rows):
            before = rng.uniform(1, 5000)
            out.write(f"{optimizations[i % len(optimizations)]},{before:.3f},{before * rng.uniform(0.05, 1.6):.3f},"
                      f"{1 + i % 5},2025-{1 + i % 12:02d}-{1 + i % 28:02d} 12:00:00+00\n")
    os.chmod(path, 0o644)


FEEDBACK_COLUMNS = "optimization_id, before_execution_ms, after_execution_ms, rating, applied_at"
