"""A throwaway PostgreSQL for benchmarks, and timing helpers.

Absolute times on a shared machine mean little, so each figure is measured
beside its reference in the same run, interleaved, and reported as a median
with its spread.
"""
import contextlib
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

import psycopg

PG_BINDIR = pathlib.Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))
SETTINGS = {
    "listen_addresses": "''",
    "shared_buffers": "'512MB'",
    "max_connections": "40",
    "shared_preload_libraries": "'pg_cron'",
    "cron.database_name": "'postgres'",
    "max_wal_size": "'4GB'",
    "checkpoint_timeout": "'30min'",
    # A benchmark vacuums where it loads; autovacuum would run at random moments beside the timings.
    "autovacuum": "off",
}


class Server:
    """initdb, start, and on exit stop and remove a private cluster."""

    def __init__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="qml-bench-"))
        self.data = self.dir / "data"

    def __enter__(self):
        subprocess.run([PG_BINDIR / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True)
        with open(self.data / "postgresql.conf", "a") as conf:
            for key, value in {**SETTINGS, "unix_socket_directories": f"'{self.dir}'",
                               "cron.host": f"'{self.dir}'"}.items():
                conf.write(f"{key} = {value}\n")
        subprocess.run([PG_BINDIR / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-w", "start"],
                       check=True, capture_output=True)
        return self

    def restart(self, mode="immediate"):
        """Stop (immediate: a crash, with recovery on the way up) and start again."""
        subprocess.run([PG_BINDIR / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"], check=True, capture_output=True)
        subprocess.run([PG_BINDIR / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-w", "start"],
                       check=True, capture_output=True)

    def __exit__(self, *exc):
        subprocess.run([PG_BINDIR / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self, dbname="postgres", **options):
        options.setdefault("autocommit", True)
        return psycopg.connect(host=str(self.dir), user="postgres", dbname=dbname, **options)

    def create_database(self, name):
        with self.connect() as conn:
            conn.execute(f"CREATE DATABASE {name}")
        with self.connect(name) as conn:
            conn.execute("CREATE EXTENSION query_ml CASCADE")
        return name


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
