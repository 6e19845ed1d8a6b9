"""Bad input, function by function: a clear error with an SQLSTATE, or a documented NULL or empty
result; never a crashed backend, never a Python name in a message, never a row left behind or changed."""
import re

import psycopg
import pytest

from .api import populate

MEGABYTE = "SELECT '" + "x" * (1024 * 1024 - 20) + "' FROM t"
THREE_MB = "SELECT '" + "x" * (3 * 1024 * 1024) + "' FROM t"
DEEP = "SELECT " + "(SELECT " * 1000 + "1" + ")" * 1000
ODD = "SELECT '\x01\x1b[31m\u202e\ufffd\U0001F600' FROM t WHERE a = 1"
CONTROL = "SELECT \x01 FROM t"
TEN_MB = "repeat('x', 10 * 1024 * 1024)"
# What PL/Python leaks when an exception escapes unhandled, or an SPI error is passed on as it is.
PYTHON_NAMES = re.compile(r"\bNone\b|Traceback|Error:|spiexceptions")

# Each SQL-taking function, with the outcome per input: an SQLSTATE, or null / empty / ok.
SQL_CALLS = {
    "SELECT ml_fingerprint(%s)": dict(null="null", deep="ok", megabyte="ok"),
    "SELECT ml_normalize(%s)": dict(null="null", deep="54001", megabyte="ok"),
    "SELECT ml_signature(%s)": dict(null="null", deep="54001", megabyte="ok"),
    "SELECT ml_features(%s)": dict(null="null", deep="54001", megabyte="ok"),
    "SELECT * FROM ml_match_pattern(%s, min_score => 0)": dict(null="empty", deep="54001", megabyte="ok"),
    "SELECT * FROM ml_similar_patterns(%s)": dict(null="empty", deep="54001", megabyte="ok"),
    "SELECT * FROM ml_match_and_suggest(%s, min_score => 0)": dict(null="empty", deep="54001", megabyte="ok"),
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
    # The improvement is a ratio to the time before: below a microsecond it overflows.
    ("SELECT * FROM ml_submit_feedback({optimization}, 1e-320, 1)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 0.0009, 0)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, before_planning_ms => 'NaN', after_planning_ms => 1)",
     "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, before_planning_ms => 1, after_planning_ms => 'Infinity')",
     "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, runs => 1001)", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, applied_at => 'infinity')", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, applied_at => '-infinity')", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, applied_at => now() + interval '1 year')", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, applied_at => '1999-12-31')", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, measured_by => 'bogus')", "22023"),
    ("SELECT * FROM ml_submit_feedback({optimization}, 10, 5, comment => repeat('x', 2001))", "22001"),
    ("SELECT * FROM ml_update_feedback({feedback}, before_execution_ms => 1e-320)", "22023"),
    ("SELECT * FROM ml_update_feedback({feedback}, applied_at => 'infinity')", "22023"),
    ("SELECT * FROM ml_update_feedback({feedback}, comment => repeat('x', 2001))", "22001"),
    ("SELECT * FROM ml_update_feedback(NULL, rating => 1)", "P0002"),
    ("SELECT * FROM ml_update_feedback({feedback}, after_execution_ms => -1)", "22023"),
    ("SELECT * FROM ml_update_feedback(0, rating => 1)", "P0002"),
    ("SELECT ml_delete_feedback(0)", "P0002"),
    ("SELECT ml_delete_feedback(NULL)", "P0002"),
    ("SELECT * FROM ml_feedback(0)", "P0002"),
    ("SELECT ml_pattern(0)", "P0002"),
    ("SELECT ml_pattern(NULL)", "22004"),
    ("SELECT * FROM ml_feedback(NULL)", "22004"),
    ("SELECT * FROM ml_explain_confidence(0)", "P0002"),
    ("SELECT * FROM ml_explain_confidence(NULL)", "22004"),
    ("SELECT ml_record_optimization('SELECT 1', 'SELECT 2', 'rewrite', 10, source => repeat('s', 1000))", "42704"),
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
    (f"SELECT ml_store_pattern('SELECT 1', 'other', {TEN_MB})", "22001"),
    ("SELECT ml_store_pattern('SELECT 1', 'other', repeat('x', 10001))", "22001"),
    (f"SELECT ml_record_optimization('SELECT 1', {TEN_MB}, 'other', 10)", "22001"),
    ("SELECT ml_store_pattern('SELECT 1', 'index', 'CREATE INDEX ON t (a)', repeat('x', 2001))", "22001"),
    ("SELECT ml_record_optimization('SELECT 1', 'SELECT 2', 'rewrite', 10, description => repeat('x', 2001))", "22001"),
    ("SELECT ml_set_pattern_status(0, 'retired')", "P0002"),
    ("SELECT ml_set_pattern_status(NULL, 'retired')", "22004"),
    ("SELECT ml_set_pattern_status({pattern}, NULL)", "22004"),
    ("SELECT ml_set_pattern_status({pattern}, 'flagged', repeat('x', 100000))", "22001"),
    ("SELECT ml_set_pattern_status({pattern}, 'flagged', repeat('x', 1001))", "22001"),
    ("SELECT ml_set_setting('confidence_threshold', '1e300')", "22023"),
    ("SELECT ml_set_setting(NULL, NULL)", "22004"),
    ("SELECT ml_reset_setting('nothing')", "42704"),
    ("SELECT ml_register_source(NULL)", "22004"),
    ("SELECT ml_register_source(repeat('x', 100))", "22023"),
    ("SELECT ml_register_source('ok', dialect => 'MySQL!')", "22023"),
    ("SELECT ml_register_source('ok', description => repeat('x', 1001))", "22001"),
    ("SELECT ml_register_source('ok', database_name => repeat('x', 256))", "22001"),
    ("SELECT ml_register_source('ok', cluster_name => repeat('x', 256))", "22001"),
    ("SELECT ml_retire_source('nowhere')", "42704"),
    ("SELECT ml_retire_source(NULL)", "42704"),
    ("SELECT * FROM ml_patterns(row_limit => -1)", "22023"),
    ("SELECT * FROM ml_patterns(row_offset => -5)", "22023"),
    ("SELECT * FROM ml_patterns(row_limit => NULL)", "22004"),
    ("SELECT * FROM ml_patterns(row_offset => NULL)", "22004"),
    ("SELECT * FROM ml_patterns(row_offset => 9223372036854775807)", "empty"),
    ("SELECT * FROM ml_patterns(min_applications => NULL)", "ok"),              # NULL: no minimum
    ("SELECT * FROM ml_patterns(optimization_type => 'bogus')", "22023"),
    ("SELECT * FROM ml_top_patterns(row_limit => 10000000)", "22023"),
    ("SELECT * FROM ml_top_patterns(ranking => NULL)", "22004"),
    ("SELECT * FROM ml_top_patterns(min_applications => -9223372036854775807)", "ok"),
    ("SELECT * FROM ml_list_feedback(row_limit => -1)", "22023"),
    ("SELECT * FROM ml_list_feedback(row_limit => 100001)", "22023"),
    ("SELECT * FROM ml_list_feedback(row_limit => 9223372036854775807)", "22023"),
    ("SELECT * FROM ml_list_feedback(row_offset => -9223372036854775808)", "22023"),
    ("SELECT * FROM ml_list_feedback(optimization_id => 0)", "empty"),
    ("SELECT * FROM ml_list_feedback(source => 'nowhere')", "42704"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', row_limit => 0)", "22023"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', row_limit => NULL)", "22004"),
    ("SELECT * FROM ml_similar_patterns('SELECT 1', row_limit => NULL)", "22004"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', min_confidence => 'NaN')", "22023"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', min_score => 'NaN')", "22023"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', min_score => -1)", "22023"),
    ("SELECT * FROM ml_match_pattern('SELECT 1', min_score => 2)", "22023"),
    ("SELECT * FROM ml_match_and_suggest('SELECT 1', min_confidence => 1.5)", "22023"),
    ("SELECT * FROM ml_similar_patterns('SELECT 1', row_limit => -1)", "22023"),
    ("SELECT * FROM ml_accuracy(-1)", "22023"),
    ("SELECT * FROM ml_accuracy(NULL)", "ok"),                                  # NULL: every pattern
    ("SELECT * FROM ml_accuracy(2147483647)", "ok"),
    # Windows: 1 to 3650 days, cut into at most 5000 buckets of a minute or more.
    ("SELECT * FROM ml_accuracy_trend(-1)", "22023"),
    ("SELECT * FROM ml_accuracy_trend(NULL)", "22004"),
    ("SELECT * FROM ml_accuracy_trend(3651)", "54000"),
    ("SELECT * FROM ml_accuracy_trend(2147483647)", "54000"),
    ("SELECT * FROM ml_accuracy_trend(3650, '1 minute')", "54000"),
    ("SELECT * FROM ml_accuracy_trend(7, '2 minutes')", "54000"),
    ("SELECT * FROM ml_accuracy_trend(3650, '1 day')", "ok"),
    ("SELECT * FROM ml_accuracy_trend(30, '-1 day')", "22023"),
    ("SELECT * FROM ml_accuracy_trend(30, NULL)", "22004"),
    ("SELECT * FROM ml_accuracy_trend(30, '1 month')", "22023"),
    ("SELECT * FROM ml_accuracy_trend(30, '31 days')", "22023"),
    ("SELECT * FROM ml_accuracy_verdict(100000)", "54000"),
    ("SELECT * FROM ml_accuracy_verdict(2147483647)", "54000"),
    ("SELECT * FROM ml_accuracy_verdict(0)", "22023"),
    ("SELECT * FROM ml_accuracy_verdict(NULL)", "22004"),
    ("SELECT * FROM ml_estimation_bias(NULL)", "22004"),
    ("SELECT * FROM ml_estimation_bias('bogus')", "22023"),
    ("SELECT * FROM ml_feedback_stats(NULL)", "22004"),
    ("SELECT ml_analyze_feedback(-1)", "22023"),
    ("SELECT ml_analyze_feedback(NULL)", "22004"),
    ("SELECT ml_analyze_feedback(3651)", "54000"),
    ("SELECT ml_analyze_feedback(3650)", "ok"),
    ("SELECT ml_improvement_report(NULL)", "22004"),
    ("SELECT ml_improvement_report(100000)", "54000"),
    ("SELECT ml_improvement_report(3650)", "ok"),
    ("SELECT ml_improvement_report_text(0)", "22023"),
    ("SELECT ml_improvement_report_text(NULL)", "22004"),
    ("SELECT ml_improvement_report_text(2147483647)", "54000"),
    ("SELECT * FROM ml_refinement_history(-1)", "22023"),
    ("SELECT * FROM ml_refinement_history(NULL)", "22004"),
    ("SELECT * FROM ml_refinement_history(100001)", "22023"),
    ("SELECT ml_schedule_refinement(NULL)", "22004"),
    ("SELECT ml_schedule_refinement('* * * * *', NULL)", "22004"),
    ("SELECT ml_schedule_refinement('0 0 31 2 * *')", "22023"),
    ("SELECT ml_schedule_refinement(repeat('1', 100000))", "22023"),
    ("SELECT ml_schedule_refinement('\u0661 * * * *')", "22023"),         # an Arabic-Indic digit
    # Plain SQL meets the same text limits, as CHECK constraints.
    ("UPDATE query_ml.patterns SET status_reason = repeat('x', 2001) WHERE id = {pattern}", "23514"),
    ("UPDATE query_ml.patterns SET description = repeat('x', 2001) WHERE id = {pattern}", "23514"),
    # With the triggers off, the constraint alone holds the "other" text.
    ("DO $$ BEGIN ALTER TABLE query_ml.patterns DISABLE TRIGGER USER; UPDATE query_ml.patterns "
     "SET optimization_type = 'other', optimized_template = repeat('x', 10001) WHERE id = {pattern}; END $$", "23514"),
    ("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, comment) "
     "VALUES ({optimization}, 10, 5, repeat('x', 2001))", "23514"),
    ("INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, estimated_improvement, description) "
     "SELECT pattern_id, source_id, original_query, 10, repeat('x', 2001) FROM query_ml.optimizations "
     "WHERE id = {optimization}", "23514"),
    ("INSERT INTO query_ml.sources (name, description) VALUES ('plain', repeat('x', 1001))", "23514"),
    ("INSERT INTO query_ml.sources (name, database_name) VALUES ('plain', repeat('x', 256))", "23514"),
    ("INSERT INTO query_ml.sources (name, cluster_name) VALUES ('plain', repeat('x', 256))", "23514"),
    # No CHECK can stop this one: the generated improvement overflows first, with a clear SQLSTATE.
    ("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
     "VALUES ({optimization}, 1e-320, 1)", "22003"),
]
CASES = [(call, name, expected.get(name, DEFAULTS.get(name, "ok"))) for call, expected in SQL_CALLS.items()
         for name in SQL_INPUTS] + [(call, None, outcome) for call, outcome in OTHER_CALLS]
PARAMS = [pytest.param(*case, id=f"{case[0].split('(')[0][-24:]}-{case[1] or i}") for i, case in enumerate(CASES)]


def table_states(conn):
    """{table: (rows, digest of their contents)}: a failed call must leave every table as it was."""
    tables = [r[0] for r in conn.execute("SELECT oid::regclass::text FROM pg_class "
                                         "WHERE relnamespace = 'query_ml'::regnamespace AND relkind = 'r'")]
    return {table: conn.execute(f"SELECT count(*), md5(string_agg(r::text, '|' ORDER BY r::text)) "
                                f"FROM {table} r").fetchone() for table in tables}


@pytest.fixture(scope="module")
def prepared(server):
    from tests.conftest import FreshDatabase
    with FreshDatabase(server) as fresh, fresh.connect() as conn:
        yield conn, populate(conn)


@pytest.mark.parametrize("call, input_name, expected", PARAMS)
def test_bad_input(prepared, call, input_name, expected):
    conn, ids = prepared
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    before = table_states(conn)
    args = (SQL_INPUTS[input_name],) if input_name else ()
    try:
        rows = conn.execute(call.format(**ids), args or None).fetchall()
        outcome = "empty" if not rows else "null" if rows == [(None,)] else "ok"
    except psycopg.Error as error:
        outcome = error.sqlstate
        assert error.diag.message_primary and not error.sqlstate.startswith("XX"), error
        said = [error.diag.message_primary, error.diag.message_detail or "", error.diag.message_hint or ""]
        assert not any(PYTHON_NAMES.search(text) for text in said), said
        assert table_states(conn) == before, "a failed call left rows behind or changed them"
    assert outcome == expected, (call, input_name)
    assert conn.execute("SELECT pg_backend_pid()").fetchone()[0] == pid       # the same backend, alive
