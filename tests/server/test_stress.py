"""make stress, shortened to 20 seconds: every concurrent write path at once, then the statistics
must equal a recomputation, with no deadlock, unique violation or other unexpected SQLSTATE."""
import pytest

import stress       # bench/stress.py


@pytest.mark.slow
def test_twenty_seconds_of_every_concurrent_write_path(fresh_db):
    counts, differences = stress.stress(fresh_db.connect, seconds=20)
    lines, failed = stress.verdict(counts, differences)
    assert not failed, "\n".join(lines)
    assert sum(counts["submit"].values()) > 0 and counts["refine full"]["ok"] > 0 and counts["edit estimate"]["ok"] > 0
