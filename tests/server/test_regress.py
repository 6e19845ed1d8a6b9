"""The pg_regress suite in tests/regress: psql output, error cases included, as expected."""
import subprocess

from tests.conftest import PG_BINDIR, ROOT

PG_REGRESS = PG_BINDIR.parent / "lib" / "pgxs" / "src" / "test" / "regress" / "pg_regress"


def test_pg_regress_suite(server, tmp_path):
    tests = sorted(p.stem for p in (ROOT / "tests" / "regress" / "sql").glob("*.sql"))
    result = subprocess.run(
        [str(PG_REGRESS), f"--host={server.host}", f"--port={server.port}",
         f"--user={server.user}", f"--bindir={PG_BINDIR}", f"--inputdir={ROOT / 'tests' / 'regress'}",
         f"--outputdir={tmp_path}", "--dbname=qml_regress", *tests],
        capture_output=True, text=True)
    diffs = tmp_path / "regression.diffs"
    assert result.returncode == 0, result.stdout + (diffs.read_text() if diffs.exists() else result.stderr)
