"""Fixtures shared by every test.

One throwaway PostgreSQL per test session, started by pytest-postgresql with
pg_cron preloaded.  Its template database holds the extension, so each test
that writes gets a fresh copy in milliseconds (``db``); read-only tests share
one database (``shared_db``).  A test that crashes its server gets one of its
own (``own_cluster``).
"""
import itertools
import os
import pathlib
import tempfile

import psycopg
import pytest
from hypothesis import HealthCheck, settings
from pytest_postgresql import factories
from pytest_postgresql.janitor import DatabaseJanitor

from tests.cluster import PG_BINDIR, Cluster

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("QUERY_ML_SHARED", ROOT.parent / "shared"))
CRON_DB = "qml_cron"
SOCKET_DIR = tempfile.mkdtemp(prefix="qml-sock-")

# Hypothesis must not write into the checkout, which the test user may not own.  Nothing it
# checks may depend on the machine's speed: no deadline, and no health check of generation time.
settings.register_profile("query_ml", database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("query_ml")


def install_extension(host, port, user, dbname, password=None, **_):
    with psycopg.connect(host=host, port=port, user=user, dbname=dbname, password=password,
                         autocommit=True) as conn:
        conn.execute("CREATE EXTENSION query_ml CASCADE")


postgresql_proc = factories.postgresql_proc(
    executable=str(PG_BINDIR / "pg_ctl"),
    unixsocketdir=SOCKET_DIR,
    dbname="qml",
    postgres_options=" ".join(f"-c {option}" for option in (
        "shared_preload_libraries=pg_cron,pg_stat_statements",
        "pg_stat_statements.max=10000",
        f"cron.database_name={CRON_DB}",
        f"cron.host={SOCKET_DIR}",
        "max_connections=60",
        "fsync=off",
        "log_min_messages=warning",
    )),
    load=[install_extension],
)


@pytest.fixture(scope="session")
def server(postgresql_proc):
    """The running server; connect(server, dbname) opens more connections."""
    return postgresql_proc


def connect(server, dbname, **options):
    options.setdefault("autocommit", True)
    return psycopg.connect(host=server.host, port=server.port, user=server.user,
                           password=server.password, dbname=dbname, **options)


_names = itertools.count()


class FreshDatabase:
    """A database cloned from the template (the extension installed), dropped afterwards."""

    def __init__(self, server, template=None, name=None):
        self.server = server
        self.name = name or f"qml_t{os.getpid()}_{next(_names)}"
        self.janitor = DatabaseJanitor(user=server.user, host=server.host, port=server.port,
                                       password=server.password, dbname=self.name,
                                       template_dbname=template or server.template_dbname)

    def __enter__(self):
        self.janitor.init()
        return self

    def connect(self, **options):
        return connect(self.server, self.name, **options)

    def __exit__(self, *exc):
        self.janitor.drop()


@pytest.fixture
def fresh_db(server):
    """A FreshDatabase, for tests that open several connections to it."""
    with FreshDatabase(server) as fresh:
        yield fresh


@pytest.fixture
def db(fresh_db):
    """An autocommit connection to a fresh database with the extension installed."""
    with fresh_db.connect() as conn:
        yield conn


@pytest.fixture(scope="session")
def shared_db(server):
    """One connection for tests that only read."""
    with FreshDatabase(server) as fresh, fresh.connect() as conn:
        yield conn


@pytest.fixture(scope="session")
def cron_db(server):
    """The database pg_cron runs its jobs in (cron.database_name), with pg_cron and query_ml."""
    with FreshDatabase(server, name=CRON_DB) as fresh:
        with fresh.connect() as conn:
            conn.execute("CREATE EXTENSION pg_cron")
        yield fresh


@pytest.fixture(scope="session")
def corpora():
    path = SHARED / "corpora"
    if not path.is_dir():
        pytest.skip(f"the real workloads are absent: {path} does not exist (clone beside ../shared)")
    return path


@pytest.fixture
def own_cluster():
    """A Cluster of this test's own, for tests that crash or restart the server."""
    with Cluster({"max_connections": "20", "fsync": "off", "log_min_messages": "warning"}) as cluster:
        yield cluster
