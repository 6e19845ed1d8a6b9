"""A throwaway PostgreSQL for benchmarks, and timing helpers.

Absolute times on a shared machine mean little, so each figure is measured
beside its reference in the same run, interleaved, and reported as a median
with its spread.
"""
import contextlib
import statistics
import time

from tests.cluster import Cluster

SETTINGS = {
    "listen_addresses": "''",
    "shared_buffers": "'512MB'",
    "max_connections": "40",
    "shared_preload_libraries": "'pg_cron,pg_stat_statements'",
    # Room for bench/production.py's statements and the rest, so that none is evicted.
    "pg_stat_statements.max": "20000",
    "cron.database_name": "'postgres'",
    "max_wal_size": "'4GB'",
    "checkpoint_timeout": "'30min'",
    # A benchmark vacuums where it loads; autovacuum would run at random moments beside the timings.
    "autovacuum": "off",
}


class Server(Cluster):
    """The benchmarks' cluster: pg_cron preloaded, room to load a million rows."""

    def __init__(self, **overrides):
        super().__init__({**SETTINGS, "cron.host": "'{dir}'", **overrides}, prefix="qml-bench-")


def clock(call, repeat):
    """Wall times of repeat calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def interleaved(calls, repeat):
    """{name: [seconds]} for several calls timed in turn, so load on the machine hits all alike."""
    times = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return times


def summary(samples):
    """median and interquartile range."""
    quartiles = statistics.quantiles(samples, n=4, method="inclusive") if len(samples) > 1 else [samples[0]] * 3
    return {"median": statistics.median(samples), "q1": quartiles[0], "q3": quartiles[2], "n": len(samples)}


@contextlib.contextmanager
def stopwatch(label, sink):
    start = time.perf_counter()
    yield
    sink[label] = time.perf_counter() - start
