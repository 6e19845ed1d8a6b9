"""Similarity on real queries: the Join Order Benchmark's templates.

One pattern per JOB query; for each query, the best match that is not its own
pattern should be a query of the same template (1a..1d -> template 1).
"""
import re

import pytest

pytestmark = pytest.mark.corpus


def test_job_precision_at_1(fresh_db, corpora):
    files = sorted((corpora / "job").glob("[0-9]*.sql"))
    assert len(files) == 113
    template = lambda name: re.match(r"\d+", name).group()
    with fresh_db.connect() as conn:
        own = {}
        for f in files:
            own[f.stem] = conn.execute("SELECT ml_store_pattern(%s, 'other', %s)",
                                       (f.read_text(), f"JOB {f.stem}")).fetchone()[0]
        by_id = {pid: name for name, pid in own.items()}
        hits, misses = 0, []
        for f in files:
            ranked = conn.execute("SELECT pattern_id, similarity FROM ml_similar_patterns(%s, row_limit => 5)",
                                  (f.read_text(),)).fetchall()
            best = next(((pid, score) for pid, score in ranked if pid != own[f.stem]), None)
            if best and template(by_id[best[0]]) == template(f.stem):
                hits += 1
            else:
                misses.append((f.stem, best and by_id[best[0]]))
    precision = hits / len(files)
    print(f"\nJOB precision@1: {hits}/{len(files)} = {precision:.3f}; misses: {misses}")
    assert precision >= 0.9, misses
