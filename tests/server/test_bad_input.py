"""Bad input, function by function: a clear error with an SQLSTATE, or a documented NULL or empty
result; never a crashed backend, never a row left behind."""
import psycopg
import pytest

from .api import populate

MEGABYTE = "SELECT '" + "x" * (1024 * 1024 - 20) + "' FROM t"
THREE_MB = "SELECT '" + "x" * (3 * 1024 * 1024) + "' FROM t"
DEEP = "SELECT " + "(SELECT " * 1000 + "1" + ")" * 1000
ODD = "SELECT '\x01\x1b[31m\u202e\ufffd\U0001F600' FROM t WHERE a = 1"
CONTROL = "SELECT \x01 FROM t"

# Each SQL-taking function, with the outcome per input: an SQLSTATE, or null / empty / ok.
SQL_CALLS = {
    "SELECT ml_fingerprint(%s)": dict(null="null", deep="ok", megabyte="ok"),
    "SELECT ml_normalize(%s)": dict(null="null", deep="54001", megabyte="ok"),
    "SELECT ml_signature(%s)": dict(null="null", deep="54001", megabyte="ok"),
    "SELECT ml_features(%s)": dict(null="null", deep="54001", megabyte="ok"),
    "SELECT * FROM ml_match_pattern(%s)": dict(null="empty", deep="54001", megabyte="ok"),
    "SELECT * FROM ml_similar_patterns(%s)": dict(null="empty", deep="54001", megabyte="ok"),
    "SELECT * FROM ml_match_and_suggest(%s, min_confidence => 0)": dict(null="empty", deep="54001", megabyte="ok"),
    "SELECT ml_apply_pattern({pattern}, %s)": dict(null="null", deep="22023", megabyte="22023", odd="22023"),
    "SELECT ml_store_pattern(%s, 'index', 'CREATE INDEX ON t (a)')": dict(null="22004", deep="54001", megabyte="ok"),
    "SELECT ml_store_pattern('SELECT * FROM t WHERE a = 1', 'rewrite', %s)": dict(null="22004", deep="54001", megabyte="ok"),
    "SELECT ml_record_optimization(%s, 'CREATE INDEX ON t (a)', 'index', 10)": dict(null="22004", deep="54001", megabyte="ok"),
    # The optimization was recorded for another query: nothing given here fits it.
    "SELECT * FROM ml_track({optimization}, runs => 1, sql => %s)": dict(null="22023", deep="22023", megabyte="22023",
                                                                       odd="22023"),
}
SQL_INPUTS = {"null": None, "empty": "", "blank": "  -- nothing\n", "unparseable": "SELEC * FRM t",
              "several": "SELECT 1; SELECT 2", "megabyte": MEGABYTE, "three_megabytes": THREE_MB, "deep": DEEP,
              "odd": ODD, "control": CONTROL}
DEFAULTS = {"empty": "22023", "blank": "22023", "unparseable": "42601", "several": "42601", "three_megabytes": "54000",
            "odd": "ok", "control": "42601"}

OTHER_CALLS = [
    ("SELECT * FROM ml_submit_feedback({optimization}, -5, 10)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 1e300, 10)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 'NaN', 10)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 'Infinity')", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, rating => 99)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, before_rows => -1)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, NULL, 5)", "22004"),
    ("SELECT * FROM ml_submit_feedback(NULL, 10, 5)", "P0002"),
    ("SELECT * FROM ml_submit_feedback(0, 10, 5)", "P0002"),
    ("SELECT * FROM ml_update_feedback({feedback}, after_execution_ms => -1)", "22023"),
    ("SELECT * FROM ml_update_feedback(0, rating => 1)", "P0002"),
    ("SELECT ml_delete_feedback(0)", "P0002"),
    ("SELECT ml_delete_feedback(NULL)", "P0002"),
    ("SELECT * FROM ml_feedback(0)", "P0002"),
    ("SELECT ml_pattern(0)", "P0002"),
    ("SELECT ml_pattern(NULL)", "P0002"),
    ("SELECT * FROM ml_explain_confidence(0)", "P0002"),
    ("SELECT * FROM ml_explain_confidence(NULL)", "P0002"),
    ("SELECT ml_apply_pattern(0, 'SELECT 1')", "P0002"),
    ("SELECT * FROM ml_track(0)", "P0002"),
    ("SELECT * FROM ml_track(NULL)", "22004"),
    ("SELECT * FROM ml_track({optimization}, runs => 0, sql => 'SELECT * FROM t WHERE a = 2')", "22023"),
    ("SELECT * FROM ml_track({optimization}, runs => 5000, sql => 'SELECT * FROM t WHERE a = 2')", "22023"),
    ("SELECT * FROM ml_track({optimization}, timeout_ms => -1, sql => 'SELECT * FROM t WHERE a = 2')", "22023"),
    ("SELECT ml_record_optimization('SELECT 1', 'SELECT 2', 'rewrite', 'NaN')", "22023"),
    ("SELECT ml_record_optimization('SELECT 1', 'SELECT 2', 'rewrite', 1e300)", "22023"),
    ("SELECT ml_record_optimization('SELECT 1', 'SELECT 2', 'bogus', 10)", "22023"),
    ("SELECT ml_record_optimization('SELECT 1', 'SELECT 2', 'rewrite', 10, source => 'nowhere')", "42704"),
    ("SELECT ml_store_pattern('SELECT 1', NULL, 'x')", "22004"),
    ("SELECT ml_set_pattern_status(0, 'retired')", "P0002"),
    ("SELECT ml_set_pattern_status({pattern}, NULL)", "22023"),
    ("SELECT ml_set_setting('confidence_threshold', '1e300')", "22023"),
    ("SELECT ml_set_setting(NULL, NULL)", "22004"),
    ("SELECT ml_reset_setting('nothing')", "42704"),
    ("SELECT ml_register_source(NULL)", "22004"),
    ("SELECT ml_register_source(repeat('x', 100))", "22023"),
    ("SELECT ml_register_source('ok', dialect => 'MySQL!')", "22023"),
    ("SELECT ml_retire_source('nowhere')", "42704"),
    ("SELECT ml_retire_source(NULL)", "42704"),
    ("SELECT * FROM ml_patterns(row_limit => -1)", "22023"),
    ("SELECT * FROM ml_patterns(row_offset => -5)", "22023"),
    ("SELECT * FROM ml_patterns(row_limit => NULL)", "22023"),
    ("SELECT * FROM ml_patterns(optimization_type => 'bogus')", "22023"),
    ("SELECT * FROM ml_top_patterns(row_limit => 10000000)", "22023"),
    ("SELECT * FROM ml_top_patterns(ranking => NULL)", "22023"),
    ("SELECT * FROM ml_list_feedback(row_limit => -1)", "22023"),
    ("SELECT * FROM ml_list_feedback(optimization_id => 0)", "empty"),
    ("SELECT * FROM ml_list_feedback(source => 'nowhere')", "42704"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', row_limit => 0)", "22023"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', min_confidence => 'NaN')", "empty"),
    ("SELECT * FROM ml_similar_patterns('SELECT 1', row_limit => -1)", "22023"),
    ("SELECT * FROM ml_accuracy(-1)", "22023"),
    ("SELECT * FROM ml_accuracy_trend(-1)", "22023"),
    ("SELECT * FROM ml_accuracy_trend(30, '-1 day')", "22023"),
    ("SELECT * FROM ml_accuracy_verdict(100000)", "22023"),
    ("SELECT * FROM ml_estimation_bias(NULL)", "22023"),
    ("SELECT * FROM ml_feedback_stats(NULL)", "22023"),
    ("SELECT ml_analyze_feedback(-1)", "22023"),
    ("SELECT ml_improvement_report_text(0)", "22023"),
    ("SELECT * FROM ml_refinement_history(-1)", "22023"),
    ("SELECT ml_schedule_refinement(NULL)", "22023"),
    ("SELECT ml_schedule_refinement('0 0 31 2 * *')", "22023"),
]

CASES = [(call, name, expected.get(name, DEFAULTS.get(name, "ok"))) for call, expected in SQL_CALLS.items()
         for name in SQL_INPUTS] + [(call, None, outcome) for call, outcome in OTHER_CALLS]


def row_counts(conn):
    tables = [r[0] for r in conn.execute("SELECT oid::regclass::text FROM pg_class "
                                         "WHERE relnamespace = 'query_ml'::regnamespace AND relkind = 'r'")]
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}


@pytest.fixture(scope="module")
def prepared(server):
    from tests.conftest import FreshDatabase
    with FreshDatabase(server) as fresh, fresh.connect() as conn:
        yield conn, populate(conn)


@pytest.mark.parametrize("call, input_name, expected", CASES,
                         ids=[f"{c.split('(')[0][-24:]}-{n or i}" for i, (c, n, _) in enumerate(CASES)])
def test_bad_input(prepared, call, input_name, expected):
    conn, ids = prepared
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    before = row_counts(conn)
    args = (SQL_INPUTS[input_name],) if input_name else ()
    try:
        rows = conn.execute(call.format(**ids), args or None).fetchall()
        outcome = "empty" if not rows else "null" if rows == [(None,)] else "ok"
    except psycopg.Error as error:
        outcome = error.sqlstate
        assert error.diag.message_primary and not error.sqlstate.startswith("XX"), error
        assert row_counts(conn) == before, "a failed call left rows behind"
    assert outcome == expected, (call, input_name)
    assert conn.execute("SELECT pg_backend_pid()").fetchone()[0] == pid       # the same backend, alive
