"""scripts/build_sql.py: install and update scripts from migrations/ and sql/."""
import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("build_sql", ROOT / "scripts" / "build_sql.py")
build_sql = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_sql)


def test_install_script_holds_every_migration_and_object():
    version = build_sql.control_version()
    text = build_sql.build(version, "/usr/local/lib/query_ml")
    for path in (ROOT / "migrations").glob("*/*.sql"):
        if path.parent.name != "released":
            assert f"-- {path.relative_to(ROOT)}\n" in text
    for path in (ROOT / "sql").rglob("*.sql"):
        assert f"-- {path.relative_to(ROOT)}\n" in text
    assert build_sql.LOAD_MARKER not in text
    bodies = re.findall(r"LANGUAGE plpython3u.*?\$python\$(.*?)\$python\$", text, re.S)
    assert bodies and all(f"/usr/local/lib/query_ml/{version}" in body for body in bodies)


@pytest.fixture
def two_versions(tmp_path, monkeypatch):
    (tmp_path / "migrations" / "1.0.0").mkdir(parents=True)
    (tmp_path / "migrations" / "1.1.0").mkdir()
    (tmp_path / "sql").mkdir()
    (tmp_path / "migrations" / "1.0.0" / "001_t.sql").write_text("CREATE TABLE t ();")
    (tmp_path / "migrations" / "1.1.0" / "001_u.sql").write_text("ALTER TABLE t ADD u int;")
    (tmp_path / "sql" / "f.sql").write_text("CREATE OR REPLACE FUNCTION f() ... #QUERY_ML_LOAD")
    (tmp_path / "query_ml.control").write_text("default_version = '1.1.0'\n")
    monkeypatch.setattr(build_sql, "ROOT", tmp_path)


def test_update_script_holds_only_newer_migrations_then_every_object(two_versions):
    update = build_sql.build("1.0.0--1.1.0", "/lib")
    assert "CREATE TABLE t" not in update
    assert update.index("ALTER TABLE t ADD u int") < update.index("CREATE OR REPLACE FUNCTION f()")
    assert "GD.get('query_ml 1.1.0')" in update and "'/lib/1.1.0'" in update
    install = build_sql.build("1.1.0", "/lib")
    assert install.index("CREATE TABLE t") < install.index("ALTER TABLE t") < install.index("FUNCTION f()")


def test_only_the_current_version_is_built(two_versions):
    with pytest.raises(SystemExit):
        build_sql.build("1.0.0", "/lib")


def test_a_released_version_is_built_from_its_frozen_script(two_versions, tmp_path):
    (tmp_path / "migrations" / "released").mkdir()
    frozen = tmp_path / "migrations" / "released" / "query_ml--1.0.0.sql"
    frozen.write_text(f"qml = load('{build_sql.LIB_DIR_MARKER}/1.0.0')")
    build_sql.RELEASED = tmp_path / "migrations" / "released"
    try:
        assert build_sql.build("1.0.0", "/lib") == "qml = load('/lib/1.0.0')"
        assert build_sql.released_versions() == ["1.0.0"]
    finally:
        build_sql.RELEASED = ROOT / "migrations" / "released"


def test_every_earlier_version_is_frozen():
    """A version that has migrations and is older than the current one must have shipped."""
    current = build_sql.version_key(build_sql.control_version())
    older = [v for v in build_sql.migration_versions() if build_sql.version_key(v) < current]
    assert set(older) <= set(build_sql.released_versions())
