"""Bulk loading of patterns for benchmarks: rows computed with the query_ml package
itself (as ml_store_pattern would) in worker processes, then COPY."""
import multiprocessing
import random

from query_ml import patterns
from query_ml.parsing import PARSER_VERSION
from query_ml.similarity import FEATURE_VERSION

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
        found = patterns.analyse(plpy, sql)
        table = f"t{shape['tables'][0]:03d}"
        ddl = f"CREATE INDEX ON {table} (c{1 + (start + offset) % (workload.COLUMNS - 1)})"
        out.append((found["fingerprint"], PARSER_VERSION, found["normalized"], found["signature"], "index", ddl,
                    FEATURE_VERSION, list(found["similarity"].tokens), list(found["similarity"].keys)))
    return out


def load_patterns(conn, shapes, source="bench", workers=2, chunk=2000):
    """Store one pattern per shape under source; returns how many were stored."""
    source_id = conn.execute("SELECT ml_register_source(%s)", (source,)).fetchone()[0]
    jobs = [(i, shapes[i:i + chunk], i) for i in range(0, len(shapes), chunk)]
    stored, seen = 0, set()
    with multiprocessing.Pool(workers) as pool, conn.cursor() as cur:
        for rows in pool.imap(_rows, jobs):
            rows = [row for row in rows if (row[0], row[5]) not in seen and not seen.add((row[0], row[5]))]
            with cur.copy("""COPY query_ml.patterns (fingerprint, parser_version, normalized_query, signature,
                               optimization_type, optimized_template, feature_version, tokens, lsh_keys,
                               source_id, dialect) FROM STDIN""") as copy:
                for row in rows:
                    copy.write_row((*row, source_id, "postgresql"))
            stored += len(rows)
    conn.execute("ANALYZE query_ml.patterns")
    return stored
