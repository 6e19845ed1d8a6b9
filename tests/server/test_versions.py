"""Every released version can still be created and runs its own Python package, or is refused clearly."""
import importlib.util
import pathlib
import re

import psycopg
import pytest

from tests.conftest import ROOT, FreshDatabase

spec = importlib.util.spec_from_file_location("build_sql", ROOT / "scripts" / "build_sql.py")
build_sql = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_sql)

LIB_DIR = pathlib.Path("/usr/local/lib/query_ml")
RELEASED = [v for v in build_sql.released_versions() if v != build_sql.control_version()]


def installed(version):
    """Did make install find this version in the git history and install its package?"""
    init = LIB_DIR / version / "query_ml" / "__init__.py"
    return init.is_file() and f'__version__ = "{version}"' in init.read_text()


def refusal(version):
    return dict(sqlstate="58P01", message=f"query_ml: version {version} cannot be created without its python package",
                hint=f"Create the current version, or run make install from a git clone that holds the history of "
                     f"{version}.")


def diagnosis(error):
    return dict(sqlstate=error.sqlstate, message=error.diag.message_primary, hint=error.diag.message_hint)


@pytest.mark.parametrize("version", RELEASED)
def test_a_release_runs_its_own_package_or_is_refused(server, version):
    with FreshDatabase(server, template="template0") as old, old.connect() as conn:
        if not installed(version):
            with pytest.raises(psycopg.Error) as error:
                conn.execute(f"CREATE EXTENSION query_ml VERSION '{version}' CASCADE")
            assert diagnosis(error.value) == refusal(version)
            return
        conn.execute(f"CREATE EXTENSION query_ml VERSION '{version}' CASCADE")
        assert conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'query_ml'").fetchone() == (version,)
        # query_ml.bootstrap refuses a package of another version, so a result is proof enough.
        fingerprint, = conn.execute("SELECT ml_fingerprint('select 1')").fetchone()
        assert re.fullmatch(r"[0-9a-f]{16}", fingerprint)


def test_a_release_without_its_package_is_refused(db):
    """The check the build puts into a frozen script, run against a folder that holds nothing."""
    with pytest.raises(psycopg.Error) as error:
        db.execute(build_sql.release_check("0.1.0", "/nonexistent/query_ml"))
    assert diagnosis(error.value) == refusal("0.1.0")
    assert error.value.diag.message_detail == \
        "Its functions import query_ml 0.1.0 from /nonexistent/query_ml/0.1.0, which does not hold it."
