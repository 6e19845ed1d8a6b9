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
    with pytest.raises(build_sql.BuildError, match="only the current version 1.1.0 can be built"):
        build_sql.build("1.0.0", "/lib")


def test_a_released_version_is_built_from_its_frozen_script(two_versions, tmp_path, monkeypatch):
    (tmp_path / "migrations" / "released").mkdir()
    frozen = tmp_path / "migrations" / "released" / "query_ml--1.0.0.sql"
    frozen.write_text(f"-- header\n\\echo Use CREATE EXTENSION. \\quit\nqml = load('{build_sql.LIB_DIR_MARKER}/1.0.0')")
    monkeypatch.setattr(build_sql, "RELEASED", tmp_path / "migrations" / "released")
    script = build_sql.build("1.0.0", "/lib")
    assert build_sql.released_versions() == ["1.0.0"]
    assert script.startswith("-- header\n\\echo Use CREATE EXTENSION. \\quit\n")
    assert script.endswith("qml = load('/lib/1.0.0')")
    # Between the two: the refusal of a version whose package this machine lacks.
    assert build_sql.release_check("1.0.0", "/lib") in script
    assert "os.path.join('/lib/1.0.0', 'query_ml', '__init__.py')" in script and "'58P01'" in script
    compile(re.search(r"\$check\$(.*)\$check\$", script, re.S).group(1), "check", "exec")


def write_sql(root, files):
    for name, text in files.items():
        (root / "sql" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "sql" / name).write_text(text)


def order(root):
    return [str(p.relative_to(root / "sql")) for p in build_sql.dependency_order(build_sql.sql_files(root / "sql"))]


def test_sql_files_come_after_the_objects_they_name(two_versions, tmp_path):
    """Names sort the wrong way; the dependencies decide, and the path order breaks ties."""
    write_sql(tmp_path, {
        "a_match.sql": "CREATE OR REPLACE FUNCTION @extschema@.a_match(q text) RETURNS text LANGUAGE sql\n"
                       "BEGIN ATOMIC SELECT @extschema@.z_fingerprint(q) FROM query_ml.b_view; END;",
        "b_view.sql": "CREATE OR REPLACE VIEW query_ml.b_view AS SELECT Query_ML.z_fingerprint('x') AS f;",
        "c_free.sql": "CREATE OR REPLACE FUNCTION query_ml.c_free() RETURNS int LANGUAGE sql RETURN 1;",
        "grants.sql": "GRANT EXECUTE ON FUNCTION query_ml.c_free() TO PUBLIC;",
        "z_fingerprint.sql": "CREATE OR REPLACE FUNCTION @extschema@.z_fingerprint(q text) RETURNS text\n"
                             "LANGUAGE plpython3u AS $python$\n#QUERY_ML_LOAD\nreturn q\n$python$;",
        "z_trigger.sql": "CREATE OR REPLACE TRIGGER t AFTER INSERT ON query_ml.t FOR EACH ROW\n"
                         "    EXECUTE FUNCTION query_ml.y_trigger_function();",
        "y_trigger_function.sql": "CREATE OR REPLACE FUNCTION query_ml.y_trigger_function() RETURNS trigger\n"
                                  "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;",
    })
    # A file that creates nothing (grants) comes after every file that creates something.
    assert order(tmp_path) == ["c_free.sql", "y_trigger_function.sql", "z_fingerprint.sql", "b_view.sql",
                               "a_match.sql", "z_trigger.sql", "f.sql", "grants.sql"]
    script = build_sql.build("1.1.0", "/lib")
    assert script.index("-- sql/z_fingerprint.sql") < script.index("-- sql/b_view.sql") \
        < script.index("-- sql/a_match.sql")


def test_names_in_comments_and_literals_are_no_dependencies(two_versions, tmp_path):
    write_sql(tmp_path, {
        "a.sql": "-- after query_ml.b?\n/* not query_ml.b /* nested */ either */\n"
                 "CREATE OR REPLACE FUNCTION query_ml.a() RETURNS void LANGUAGE plpgsql AS $body$\n"
                 "BEGIN\n    -- query_ml.b is only mentioned\n    EXECUTE 'SELECT query_ml.b()';\nEND $body$;\n"
                 "COMMENT ON FUNCTION query_ml.a() IS 'runs query_ml.b later, through EXECUTE';",
        "b.sql": "CREATE OR REPLACE FUNCTION query_ml.b() RETURNS void LANGUAGE plpgsql AS $$\n"
                 "BEGIN PERFORM query_ml.a(); END $$;",
    })
    assert order(tmp_path) == ["a.sql", "b.sql", "f.sql"]


def test_code_only_keeps_code_and_bodies():
    text = "SELECT query_ml.x('--', E'it\\'s', \"a--b\") -- gone\nFROM $f$ query_ml.y /* gone */ $f$;"
    assert build_sql.code_only(text) == "SELECT query_ml.x('', '', \"a--b\") \nFROM $f$ query_ml.y   $f$;"


def test_a_cycle_is_refused_naming_its_files(two_versions, tmp_path):
    write_sql(tmp_path, {
        "10/a.sql": "CREATE OR REPLACE VIEW query_ml.a AS SELECT * FROM query_ml.c;",
        "10/b.sql": "CREATE OR REPLACE VIEW query_ml.b AS SELECT * FROM query_ml.a;",
        "20/c.sql": "CREATE OR REPLACE FUNCTION query_ml.c() RETURNS int LANGUAGE sql BEGIN ATOMIC\n"
                    "SELECT count(*) FROM query_ml.b; END;",
        "20/d.sql": "CREATE OR REPLACE VIEW query_ml.d AS SELECT * FROM query_ml.b;",
    })
    with pytest.raises(build_sql.BuildError) as error:
        build_sql.build("1.1.0", "/lib")
    assert str(error.value).splitlines() == [
        "sql/ files need each other's objects in a cycle:",
        "  sql/10/a.sql names query_ml.c from sql/20/c.sql",
        "  sql/20/c.sql names query_ml.b from sql/10/b.sql",
        "  sql/10/b.sql names query_ml.a from sql/10/a.sql",
        "hint: move the objects of the cycle into one file, in an order that works",
    ]


def test_an_object_created_twice_is_refused_naming_both_files(two_versions, tmp_path):
    write_sql(tmp_path, {
        "g1.sql": "CREATE OR REPLACE FUNCTION query_ml.g(a int) RETURNS int LANGUAGE sql RETURN a;",
        "g2.sql": "CREATE FUNCTION @extschema@.G(a text) RETURNS text LANGUAGE sql RETURN a;",
    })
    with pytest.raises(build_sql.BuildError, match=r"^query_ml\.g is created in two files: sql/g1\.sql and sql/g2"):
        build_sql.build("1.1.0", "/lib")


def test_a_trigger_created_twice_is_refused(two_versions, tmp_path):
    trigger = "CREATE OR REPLACE TRIGGER t BEFORE INSERT ON query_ml.t FOR EACH ROW EXECUTE FUNCTION query_ml.f();"
    write_sql(tmp_path, {"t1.sql": trigger, "t2.sql": trigger})
    with pytest.raises(build_sql.BuildError, match="trigger t on query_ml.t is created in two files"):
        build_sql.build("1.1.0", "/lib")


def test_a_build_error_exits_with_its_message(two_versions, tmp_path, monkeypatch):
    write_sql(tmp_path, {"g.sql": "CREATE VIEW query_ml.g AS SELECT 1;", "h.sql": "CREATE VIEW query_ml.g AS SELECT 2"})
    monkeypatch.setattr("sys.argv", ["build_sql.py", "--target", "1.1.0", "--out", str(tmp_path / "out.sql")])
    with pytest.raises(SystemExit, match="^build_sql: query_ml.g is created in two files"):
        build_sql.main()
    assert not (tmp_path / "out.sql").exists()


def test_every_sql_file_comes_after_the_files_it_names():
    """The real tree (ml_match_pattern's BEGIN ATOMIC body names ml_fingerprint, for one)."""
    text = build_sql.build(build_sql.control_version(), "/usr/local/lib/query_ml")
    paths = build_sql.sql_files(ROOT / "sql")
    needs = build_sql.dependencies({p: build_sql.code_only(p.read_text()) for p in paths})
    at = {p: text.index(f"-- {p.relative_to(ROOT)}\n") for p in paths}
    assert any(needs.values())
    assert [(str(p), str(q)) for p in paths for q in needs[p] if at[q] > at[p]] == []


def test_every_earlier_version_is_frozen():
    """A version that has migrations and is older than the current one must have shipped."""
    current = build_sql.version_key(build_sql.control_version())
    older = [v for v in build_sql.migration_versions() if build_sql.version_key(v) < current]
    assert set(older) <= set(build_sql.released_versions())
