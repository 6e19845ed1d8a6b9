"""Optimizations and feedback: record, submit, read, correct, delete; statistics that follow."""
import datetime

import psycopg
import pytest

SECRET = "carol@example.com"
ORIGINAL = f"SELECT * FROM accounts WHERE email = '{SECRET}'"


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def record(conn, original=ORIGINAL, optimized="CREATE INDEX ON accounts (email)", kind="index", estimate=40, **options):
    extra = "".join(f", {key} => %s" for key in options)
    return one(conn, f"SELECT ml_record_optimization(%s, %s, %s, %s{extra})", original, optimized, kind, estimate,
               *options.values())


def submit(conn, optimization, before=100.0, after=40.0, **options):
    extra = "".join(f", {key} => %s" for key in options)
    return conn.execute(f"SELECT * FROM ml_submit_feedback(%s, %s, %s{extra})",
                        (optimization, before, after, *options.values())).fetchone()


def stats(conn):
    return conn.execute("SELECT applications, successes, regressions, mean_improvement, mean_estimated, mean_error, "
                        "accuracy, mean_rating FROM query_ml.pattern_totals WHERE applications > 0").fetchall()


def test_record_links_to_a_pattern_and_keeps_no_literal(db):
    first = record(db)
    second = record(db, original=ORIGINAL.replace(SECRET, "dave@example.com"), estimate=55)
    rows = db.execute("SELECT pattern_id, original_query, estimated_improvement FROM query_ml.optimizations ORDER BY id").fetchall()
    assert rows[0][0] == rows[1][0] and first != second
    assert rows[0][1] == "SELECT * FROM accounts WHERE email = $1"
    assert [float(r[2]) for r in rows] == [40.0, 55.0]
    assert one(db, "SELECT count(*) FROM query_ml.patterns") == 1
    assert SECRET not in str(db.execute("SELECT * FROM query_ml.optimizations").fetchall())


@pytest.mark.parametrize("estimate", [101, -1001, "NaN", "Infinity"])
def test_absurd_estimates_are_refused(db, estimate):
    with pytest.raises(psycopg.errors.InvalidParameterValue) as info:
        record(db, estimate=estimate)
    assert "between -1000 and 100" in info.value.diag.message_primary
    assert one(db, "SELECT count(*) FROM query_ml.patterns") == 0


def test_feedback_computes_improvement_error_and_verdict(db):
    opt = record(db, estimate=40)
    row = submit(db, opt, 100.0, 40.0, rating=4, comment="good")
    columns = [c.name for c in db.execute("SELECT * FROM query_ml.feedback_details LIMIT 0").description]
    got = dict(zip(columns, row))
    assert float(got["actual_improvement"]) == 60.0
    assert float(got["estimation_error"]) == -20.0     # estimated 40, measured 60: an underestimate
    assert got["succeeded"] is True and got["regressed"] is False
    slower = dict(zip(columns, submit(db, opt, 100.0, 130.0)))
    assert float(slower["actual_improvement"]) == -30.0 and slower["succeeded"] is False and slower["regressed"] is True
    assert stats(db) == [(2, 1, 1, 15.0, 40.0, 25.0, pytest.approx((0.5 + 0.0) / 2), 4.0)]


def test_planning_time_counts_when_both_sides_have_it(db):
    opt = record(db)
    db.execute("SELECT * FROM ml_submit_feedback(%s, 90, 40, before_planning_ms => 10, after_planning_ms => 10)", (opt,))
    assert one(db, "SELECT actual_improvement FROM query_ml.feedback") == 50   # (100 - 50) / 100


@pytest.mark.parametrize("args, sqlstate", [
    ({"before": 0}, "22023"), ({"before": -5}, "22023"), ({"after": -1}, "22023"), ({"before": "NaN"}, "22023"),
    ({"before": 1e12}, "22023"), ({"rating": 6}, "22023"), ({"rating": 0}, "22023"),
    ({"before_planning_ms": 3.0}, "22023"), ({"before_rows": -1}, "22023"), ({"after_shared_read": -2}, "22023"),
    ({"comment": "x" * 2001}, "22001"), ({"before": None}, "22004"),
])
def test_bad_feedback_is_refused_and_nothing_is_written(db, args, sqlstate):
    opt = record(db)
    before, after = args.pop("before", 100.0), args.pop("after", 50.0)
    with pytest.raises(psycopg.Error) as info:
        submit(db, opt, before, after, **args)
    assert info.value.sqlstate == sqlstate
    assert info.value.diag.message_primary.startswith("query_ml: ")
    assert one(db, "SELECT count(*) FROM query_ml.feedback") == 0
    assert stats(db) == []


def test_feedback_for_an_unknown_optimization(db):
    with pytest.raises(psycopg.errors.NoDataFound) as info:
        submit(db, 999)
    assert info.value.diag.message_hint


def test_get_list_update_delete(db):
    a = record(db)
    b = record(db, original="SELECT * FROM orders WHERE id = 1", optimized="CREATE INDEX ON orders (id)")
    ids = [submit(db, a, 100, 50, applied_at=datetime.datetime(2025, 1, d, tzinfo=datetime.timezone.utc))[0]
           for d in (1, 2, 3)]
    other = submit(db, b, 10, 9)[0]
    assert one(db, "SELECT optimization_id FROM ml_feedback(%s)", ids[1]) == a
    assert [r[0] for r in db.execute("SELECT feedback_id FROM ml_list_feedback(optimization_id => %s)", (a,))] \
        == ids[::-1]
    assert [r[0] for r in db.execute("SELECT feedback_id FROM ml_list_feedback(row_limit => 2, row_offset => 1)")] \
        == [ids[2], ids[1]]
    pattern_b = one(db, "SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", b)
    assert [r[0] for r in db.execute("SELECT feedback_id FROM ml_list_feedback(pattern_id => %s)", (pattern_b,))] \
        == [other]
    assert len(db.execute("SELECT * FROM ml_list_feedback(source => 'local')").fetchall()) == 4
    corrected = db.execute("SELECT after_execution_ms, actual_improvement, rating, comment FROM ml_update_feedback(%s, "
                           "after_execution_ms => 20, rating => 2)", (ids[0],)).fetchone()
    assert (corrected[0], float(corrected[1]), corrected[2], corrected[3]) == (20.0, 80.0, 2, None)
    assert one(db, "SELECT ml_delete_feedback(%s)", ids[2]) == ids[2]
    assert one(db, "SELECT applications FROM query_ml.pattern_totals WHERE pattern_id = "
                   "(SELECT pattern_id FROM query_ml.optimizations WHERE id = %s)", a) == 2
    assert db.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    for call in ("SELECT * FROM ml_feedback(424242)", "SELECT * FROM ml_update_feedback(424242, rating => 1)",
                 "SELECT ml_delete_feedback(424242)"):
        with pytest.raises(psycopg.errors.NoDataFound):
            db.execute(call)
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        db.execute("SELECT * FROM ml_update_feedback(%s, after_execution_ms => -3)", (ids[0],))


def test_feedback_is_shown_rounded_and_stored_in_full(db):
    opt = record(db, estimate=40)
    fid = submit(db, opt, 21.123456789, 3.0006, before_planning_ms=0.1234567, after_planning_ms=0.0011111,
                 applied_at=datetime.datetime(2025, 3, 1, 12, 30, 15, 654321, tzinfo=datetime.timezone.utc))[0]
    stored = db.execute("SELECT actual_improvement, applied_at FROM query_ml.feedback WHERE id = %s", (fid,)).fetchone()
    for call in ("SELECT * FROM ml_feedback(%s)", "SELECT * FROM ml_list_feedback() WHERE feedback_id = %s"):
        row = db.execute(f"SELECT before_execution_ms, after_execution_ms, before_planning_ms, after_planning_ms, "
                         f"actual_improvement, estimation_error, applied_at FROM ({call % '%s'}) f", (fid,)).fetchone()
        assert row[:4] == (21.123, 3.001, 0.123, 0.001)
        assert float(row[4]) == round(float(stored[0]), 1) and float(row[5]) == round(40 - float(stored[0]), 1)
        assert row[6] == datetime.datetime(2025, 3, 1, 12, 30, 15, tzinfo=datetime.timezone.utc)
    assert stored[1].microsecond == 654321                         # the table keeps it all
    recent = one(db, "SELECT ml_pattern(pattern_id) -> 'recent_feedback' -> 0 FROM query_ml.optimizations WHERE id = %s", opt)
    assert (recent["before_execution_ms"], recent["after_execution_ms"]) == (21.123, 3.001)
    assert recent["actual_improvement"] == round(float(stored[0]), 1) and recent["applied_at"] == "2025-03-01T12:30:15+00:00"


def test_statistics_per_pattern_type_and_source(db):
    db.execute("SELECT ml_register_source('eu')")
    a = record(db, estimate=50, source="eu")
    b = record(db, original="SELECT 1 FROM t WHERE x = 2", optimized="SET work_mem = '1GB'", kind="setting", estimate=10)
    submit(db, a, 100, 50)
    submit(db, a, 100, 30)
    submit(db, b, 100, 95)
    by_type = {r[0]: r[1:5] for r in db.execute("SELECT key, patterns, applications, successes, mean_improvement "
                                                "FROM ml_feedback_stats('type')")}
    assert by_type == {"index": (1, 2, 2, 60.0), "setting": (1, 1, 1, 5.0)}
    by_source = {r[0]: r[1] for r in db.execute("SELECT key, applications FROM ml_feedback_stats('source')")}
    assert by_source == {"eu": 2, "local": 1}
    assert one(db, "SELECT applications FROM ml_feedback_stats('all')") == 3
    assert len(db.execute("SELECT * FROM ml_feedback_stats('pattern')").fetchall()) == 2
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        db.execute("SELECT * FROM ml_feedback_stats('weekday')")


def test_plain_insert_and_copy_update_the_statistics(db):
    opt = record(db)
    db.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
               "SELECT %s, 100, g FROM generate_series(1, 50) g", (opt,))
    with db.cursor().copy("COPY query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, rating) "
                          "FROM STDIN") as copy:
        for i in range(30):
            copy.write_row((opt, 100.0, 200.0, 1 + i % 5))
    assert one(db, "SELECT applications FROM query_ml.pattern_totals WHERE applications > 0") == 80
    assert db.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_table_checks_stop_bad_rows_that_bypass_the_functions(db):
    opt = record(db)
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                   "VALUES (%s, 100, 50), (%s, -1, 50)", (opt, opt))
    assert stats(db) == []


def test_changes_elsewhere_are_followed(db):
    opt = record(db, estimate=40)
    for after in (10, 50, 98):
        submit(db, opt, 100, after)
    assert one(db, "SELECT successes FROM query_ml.pattern_totals WHERE applications > 0") == 2
    db.execute("SELECT ml_set_setting('success_min_improvement', '60')")      # successes are recounted
    assert one(db, "SELECT successes FROM query_ml.pattern_totals WHERE applications > 0") == 1
    db.execute("UPDATE query_ml.optimizations SET estimated_improvement = 90 WHERE id = %s", (opt,))
    assert one(db, "SELECT mean_estimated FROM query_ml.pattern_totals WHERE applications > 0") == 90.0
    other = record(db, optimized="CREATE INDEX ON accounts (email, id)")      # same query, another pattern
    db.execute("UPDATE query_ml.optimizations SET pattern_id = (SELECT pattern_id FROM query_ml.optimizations "
               "WHERE id = %s) WHERE id = %s", (other, opt))
    assert db.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    db.execute("DELETE FROM query_ml.optimizations WHERE id = %s", (opt,))      # its feedback goes with it
    assert stats(db) == [] and db.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    submit(db, other, 100, 10)
    db.execute("TRUNCATE query_ml.feedback")
    assert stats(db) == [] and db.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_check_reports_every_difference(db):
    opt = record(db)
    submit(db, opt, 100, 50)
    db.execute("UPDATE query_ml.pattern_stats SET applications = applications + 6, sum_actual = sum_actual - 49")
    report = {r[1]: (r[2], r[3]) for r in db.execute("SELECT * FROM ml_check_stats()")}
    assert report == {"applications": ("7", "1"), "sum_actual": ("1.0000", "50.0000")}
    db.execute("SELECT query_ml.recompute_pattern_stats()")
    assert db.execute("SELECT * FROM ml_check_stats()").fetchall() == []
