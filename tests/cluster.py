"""A throwaway PostgreSQL cluster: initdb, start, and on exit stop and remove.  The tests that
crash or restart a server use it, and so does bench/ (harness.Server), with its own settings."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import psycopg

PG_BINDIR = pathlib.Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))
DEFAULTS = {"listen_addresses": "''"}


class Cluster:
    """settings go to postgresql.conf; "{dir}" in a value becomes the cluster's folder."""

    def __init__(self, settings=None, prefix="qml-own-"):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
        self.data = self.dir / "data"
        self.settings = {**DEFAULTS, **(settings or {}), "unix_socket_directories": "'{dir}'"}

    def _pg_ctl(self, *args, check=True):
        subprocess.run([PG_BINDIR / "pg_ctl", "-D", self.data, *args], check=check, capture_output=True)

    def __enter__(self):
        subprocess.run([PG_BINDIR / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True)
        with open(self.data / "postgresql.conf", "a") as conf:
            for key, value in self.settings.items():
                conf.write(f"{key} = {value.replace('{dir}', str(self.dir))}\n")
        self._pg_ctl("-l", self.dir / "log", "-w", "start")
        return self

    def restart(self, mode="immediate"):
        """Stop (immediate: a crash, with recovery on the way up) and start again."""
        self.stop(mode)
        self.start()

    def stop(self, mode="fast"):
        self._pg_ctl("-m", mode, "-w", "stop")

    def start(self):
        self._pg_ctl("-l", self.dir / "log", "-w", "start")

    def __exit__(self, *exc):
        self._pg_ctl("-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self, dbname="postgres", **options):
        options.setdefault("autocommit", True)
        return psycopg.connect(host=str(self.dir), user="postgres", dbname=dbname, **options)

    def create_database(self, name):
        """A new database with the extension; returns its name."""
        with self.connect() as conn:
            conn.execute(f"CREATE DATABASE {name}")
        with self.connect(name) as conn:
            conn.execute("CREATE EXTENSION query_ml CASCADE")
        return name
