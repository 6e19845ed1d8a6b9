"""Accuracy, trend, bias, analysis, reports, summary and health."""
import datetime
import re

import psycopg
import pytest
from .triggers import past_the_triggers


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def record(conn, i, estimate, kind="index", source=None):
    extra = ", source => %s" if source else ""
    return one(conn, f"SELECT ml_record_optimization(%s, %s, %s, %s{extra})",
               f"SELECT * FROM t{i} WHERE a = 1", f"CREATE INDEX ON t{i} (a)" if kind == "index" else "SET work_mem = '1GB'",
               kind, estimate, *([source] if source else []))


def feed(conn, optimization, improvements, days_ago=0.0):
    conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, applied_at) "
                 "SELECT %s, 100, 100 - v, now() - make_interval(secs => %s * 86400) FROM unnest(%s::float8[]) v",
                 (optimization, days_ago, list(improvements)))


def accuracy(actual, estimated):
    return 1 - min(1, abs(actual - estimated) / max(abs(estimated), 1))


def test_accuracy_overall_and_by_type_source_pattern(db):
    db.execute("SELECT ml_register_source('eu')")
    a = record(db, 1, 50, source="eu")
    b = record(db, 2, 20, kind="setting")
    feed(db, a, [50, 40, 70])
    feed(db, b, [25, -10])
    rows = {(r[0], r[1]): r[2:] for r in db.execute("SELECT * FROM ml_accuracy(NULL)")}
    results = [(v, 50) for v in (50, 40, 70)] + [(v, 20) for v in (25, -10)]
    expected = sum(accuracy(v, e) for v, e in results) / 5
    assert rows[("overall", "all")][0] == 5
    assert rows[("overall", "all")][1] == pytest.approx(expected, abs=1e-6)
    assert rows[("overall", "all")][2] == pytest.approx(3 / 5)           # 50, 40 and 25 are within 10 points
    assert rows[("type", "index")][1] == pytest.approx((1 + 0.8 + 0.6) / 3, abs=1e-6)
    assert rows[("source", "eu")][0] == 3 and rows[("source", "local")][0] == 2
    assert len([k for k in rows if k[0] == "pattern"]) == 2
    assert len(db.execute("SELECT * FROM ml_accuracy(1) WHERE level = 'pattern'").fetchall()) == 1


def test_figures_are_rounded_for_reading_and_a_shared_source_is_named(db):
    shared = one(db, "SELECT ml_record_optimization('SELECT * FROM t1 WHERE a = 1', 'CREATE INDEX ON t1 (a)', 'index', 70, "
                     "shared => true)")
    feed(db, shared, [97.05176585365854, 33.333333, 12.345678])
    stored = [97.0518, 33.3333, 12.3457]                 # the feedback table keeps 4 decimals
    improvement = sum(stored) / 3
    error = 70 - improvement
    acc = sum(accuracy(v, 70) for v in stored) / 3
    assert db.execute("SELECT accuracy, within_10, mean_error, mean_abs_error FROM ml_accuracy(0) WHERE level = 'overall'") \
        .fetchone() == (round(acc, 3), 0.0, round(error, 1), round(sum(abs(v - 70) for v in stored) / 3, 1))
    assert db.execute("SELECT key FROM ml_accuracy(0) WHERE level = 'source'").fetchall() == [("shared (postgresql)",)]
    assert one(db, "SELECT key FROM ml_feedback_stats('source')") == "shared (postgresql)"
    assert db.execute("SELECT success_rate, mean_improvement, mean_error, accuracy FROM ml_feedback_stats('all')") \
        .fetchone() == (1.0, round(improvement, 1), round(error, 1), round(acc, 3))
    assert db.execute("SELECT mean_error, verdict FROM ml_estimation_bias('overall')").fetchone() \
        == (round(error, 1), f"overestimates by {error:.1f} points")
    trend = db.execute("SELECT accuracy, mean_error, bar FROM ml_accuracy_trend(1)").fetchone()
    assert trend[:2] == (round(acc, 3), round(error, 1)) and trend[2].endswith(f" {round(100 * acc, 1)}%")
    summary = dict(db.execute("SELECT * FROM ml_stats_summary()").fetchall())
    assert summary["mean improvement"] == f"{improvement:.1f}%" and summary["estimation accuracy"] == f"{100 * acc:.1f}%"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d", summary["last feedback"])
    # The tables and views keep full precision.
    assert one(db, "SELECT accuracy FROM query_ml.pattern_totals WHERE applications > 0") == pytest.approx(acc, abs=1e-6)
    assert one(db, "SELECT accuracy FROM query_ml.pattern_totals WHERE applications > 0") != round(acc, 3)


def test_bias_verdicts(db):
    high = record(db, 1, 80)
    low = record(db, 2, 10, kind="setting")
    feed(db, high, [40, 50])                # estimated 80: 35 points high
    feed(db, low, [30, 30])                 # estimated 10: 20 points low
    verdicts = dict(db.execute("SELECT key, verdict FROM ml_estimation_bias('type')").fetchall())
    assert verdicts == {"index": "overestimates by 35.0 points", "setting": "underestimates by 20.0 points"}
    assert one(db, "SELECT verdict FROM ml_estimation_bias('overall')") == "overestimates by 7.5 points"
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        db.execute("SELECT * FROM ml_estimation_bias('weekday')")


@pytest.mark.parametrize("old, new, verdict", [
    ([50, 50], [10, 90], "declining"), ([10, 90], [50, 50], "improving"), ([50, 48], [49, 51], "stable"),
])
def test_trend_verdict(db, old, new, verdict):
    opt = record(db, 1, 50)
    feed(db, opt, old, days_ago=20)
    feed(db, opt, new, days_ago=2)
    assert one(db, "SELECT verdict FROM ml_accuracy_verdict(30)") == verdict


def test_trend_series_and_its_bars(db):
    opt = record(db, 1, 50)
    feed(db, opt, [50], days_ago=3)
    feed(db, opt, [25], days_ago=1)
    rows = db.execute("SELECT bucket_start, feedback, accuracy, bar FROM ml_accuracy_trend(7)").fetchall()
    # Today and the six days before: no bucket before the window, none empty because it starts there.
    today = one(db, "SELECT date_bin('1 day', now(), timestamptz '2000-01-01')")
    assert [r[0] for r in rows] == [today - datetime.timedelta(days=6 - d) for d in range(7)]
    rows = [r[1:] for r in rows]
    filled = [r for r in rows if r[0]]
    assert [(r[1], r[2]) for r in filled] == [(1.0, "█" * 30 + " 100%"), (0.5, "█" * 15 + "░" * 15 + " 50%")]
    assert all(r[1] is None and r[2] == "" for r in rows if not r[0])
    assert one(db, "SELECT verdict FROM ml_accuracy_verdict(1)") == "not enough data"
    for call in ("SELECT * FROM ml_accuracy_trend(0)", "SELECT * FROM ml_accuracy_trend(7, '1 second')"):
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            db.execute(call)
    with pytest.raises(psycopg.errors.NullValueNotAllowed):
        db.execute("SELECT * FROM ml_accuracy_verdict(NULL)")


def rules(conn):
    return {r["rule"] for r in one(conn, "SELECT ml_analyze_feedback()")["recommendations"]}


def test_every_recommendation_rule(db):
    assert rules(db) == {"too_little_feedback"}                       # no feedback at all yet
    good = record(db, 1, 30)
    feed(db, good, [30] * 5)
    assert rules(db) == {"too_little_feedback", "refine"}
    slow = record(db, 2, 20, kind="setting")
    feed(db, slow, [-40] * 6)
    analysis = one(db, "SELECT ml_analyze_feedback()")
    slower = [r for r in analysis["recommendations"] if r["rule"] == "slower_pattern"]
    assert slower[0]["figures"] == {"applications": 6, "mean_improvement": -40.0, "regressions": 6}
    assert "ml_set_pattern_status" in slower[0]["message"]
    feed(db, good, [10] * 40)                                        # estimated 30, measured about 12
    assert "estimation_bias" in rules(db)
    db.execute("UPDATE query_ml.patterns SET created_at = now() - interval '200 days'")
    db.execute("UPDATE query_ml.feedback SET applied_at = now() - interval '120 days' WHERE optimization_id = %s", (slow,))
    db.execute("SELECT ml_set_pattern_status(p.id, 'active') FROM query_ml.patterns p")
    stale = [r for r in one(db, "SELECT ml_analyze_feedback()")["recommendations"] if r["rule"] == "stale_patterns"]
    assert stale and stale[0]["figures"]["stale_after_days"] == 90
    db.execute("SELECT * FROM ml_refine()")
    assert "refine" not in rules(db)
    feed(db, good, [30] * 20, days_ago=25)                           # accurate back then
    feed(db, good, [95] * 30, days_ago=1)                            # far off now
    assert "declining_accuracy" in rules(db)


def test_analysis_content(db):
    good = record(db, 1, 30)
    feed(db, good, [35] * 40)
    analysis = one(db, "SELECT ml_analyze_feedback()")
    assert analysis["feedback"] == 40 and analysis["success_rate"] == 1.0
    assert analysis["successful_patterns"][0]["applications"] == 40
    assert analysis["bias"]["verdict"] == "underestimates by 5.0 points"
    assert analysis["areas_to_improve"]["types"][0]["type"] == "index"
    assert analysis["trend"]["verdict"] == "not enough data"


def test_the_window_bounds_every_figure(db):
    a = record(db, 1, 30)
    b = record(db, 2, 10, kind="setting")
    feed(db, a, [30] * 30, days_ago=40)             # accurate successes, long ago
    feed(db, b, [40] * 20, days_ago=40)
    feed(db, a, [-10] * 4, days_ago=1)              # regressions now
    week, months = one(db, "SELECT ml_analyze_feedback(7)"), one(db, "SELECT ml_analyze_feedback(60)")
    pattern_a = {"pattern_id": 1, "type": "index", "status": "active", "applications": 4, "success_rate": 0.0,
                 "mean_improvement": -10.0, "accuracy": 0.0, "confidence": 0.0}
    assert {key: week[key] for key in ("window_days", "feedback", "success_rate", "regressions", "mean_improvement",
                                        "accuracy", "within_10_points", "bias", "successful_patterns")} == {
        "window_days": 7, "feedback": 4, "success_rate": 0.0, "regressions": 4, "mean_improvement": -10.0,
        "accuracy": 0.0, "within_10_points": 0.0,
        "bias": {"mean_error": 40.0, "verdict": "overestimates by 40.0 points",
                 "by_type": [{"type": "index", "applications": 4, "mean_error": 40.0,
                              "verdict": "overestimates by 40.0 points"}]},
        "successful_patterns": []}
    assert [{k: p[k] for k in pattern_a} for p in week["harmful_patterns"]["patterns"]] == [pattern_a]
    assert [{k: p[k] for k in pattern_a} for p in week["areas_to_improve"]["patterns"]] == [pattern_a]
    assert week["areas_to_improve"]["types"] == [{"type": "index", "applications": 4, "mean_abs_error": 40.0,
                                                   "verdict": "overestimates by 40.0 points"}]
    slower = [r for r in week["recommendations"] if r["rule"] == "slower_pattern"]
    assert [r["figures"] for r in slower] == [{"applications": 4, "mean_improvement": -10.0, "regressions": 4}]
    assert "in the last 7 days" in slower[0]["message"]
    assert {r["rule"]: r["figures"] for r in week["recommendations"]}["too_little_feedback"]["feedback"] == 4
    # Over 60 days the old feedback is in, and every figure is another.
    assert (months["feedback"], months["success_rate"], months["regressions"], months["mean_improvement"],
            months["accuracy"], months["within_10_points"]) == (54, round(50 / 54, 3), 4, round(1660 / 54, 1),
                                                                 round(30 / 54, 3), round(30 / 54, 3))
    assert months["bias"]["mean_error"] == round((1220 - 1660) / 54, 1)
    assert [(r["type"], r["applications"], r["mean_error"]) for r in months["bias"]["by_type"]] == [
        ("setting", 20, -30.0), ("index", 34, round(160 / 34, 1))]
    assert sorted(p["pattern_id"] for p in months["successful_patterns"]) == [1, 2]
    assert months["harmful_patterns"] == {"patterns": [], "more": 0}
    assert [p["applications"] for p in months["areas_to_improve"]["patterns"]] == [20, 34]
    assert not {"slower_pattern", "too_little_feedback"} & {r["rule"] for r in months["recommendations"]}


HARMFUL = [(135, -22), (8, -60), (6, -70), (5, -50), (3, -80), (4, -30), (2, -40)]   # most time lost first


def test_every_harmful_pattern_appears_most_harmful_first(db):
    harmful = []
    for i, (applications, mean) in enumerate(HARMFUL):
        harmful.append(record(db, i + 1, 20))
        feed(db, harmful[-1], [mean] * applications)
    good = record(db, 20, 30)
    feed(db, good, [40] * 10)
    mixed = record(db, 21, 30)                      # faster on average, but regressions in half its applications
    feed(db, mixed, [50, 50, -10, -10])
    by_hand = record(db, 22, 30)
    feed(db, by_hand, [-90] * 10)
    pattern = {opt: one(db, "SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", opt)
               for opt in harmful + [good, mixed, by_hand]}
    db.execute("SELECT ml_set_pattern_status(%s, 'retired')", (pattern[by_hand],))       # retired: left out
    db.execute("SELECT ml_set_pattern_status(%s, 'active')", (pattern[harmful[-1]],))    # kept active by hand
    analysis = one(db, "SELECT ml_analyze_feedback()")
    expected = [pattern[opt] for opt in harmful] + [pattern[mixed]]
    listed = analysis["harmful_patterns"]
    assert [p["pattern_id"] for p in listed["patterns"]] == expected and listed["more"] == 0
    assert listed["patterns"][0] == {
        "pattern_id": pattern[harmful[0]], "signature": listed["patterns"][0]["signature"], "type": "index",
        "status": "active", "applications": 135, "success_rate": 0.0, "mean_improvement": -22.0,
        "accuracy": 0.0, "confidence": 0.0, "regressions": 135, "status_rule": "retired"}
    assert listed["patterns"][-1]["status_rule"] == "flagged" and listed["patterns"][-1]["mean_improvement"] == 20.0
    slower = [r for r in analysis["recommendations"] if r["rule"] == "slower_pattern"]
    assert [r["pattern_id"] for r in slower] == expected
    assert [r["figures"] for r in slower[:len(HARMFUL)]] == [
        {"applications": n, "mean_improvement": float(mean), "regressions": n} for n, mean in HARMFUL]
    assert "made queries slower: mean -22.0% over 135 applications in the last 30 days" in slower[0]["message"]
    assert "set by hand" in slower[len(HARMFUL) - 1]["message"]
    assert "is flagged by the status rule" in slower[-1]["message"] and "+20.0%" in slower[-1]["message"]
    assert pattern[good] in [p["pattern_id"] for p in analysis["successful_patterns"]]
    assert not {pattern[mixed], pattern[harmful[0]]} & {p["pattern_id"] for p in analysis["successful_patterns"]}


def test_a_limit_that_cuts_the_harmful_patterns_gives_the_count_of_the_rest(db):
    for i in range(23):                             # pattern i + 1 loses i + 1 points over 2 applications
        feed(db, record(db, i + 1, 20), [-(i + 1)] * 2)
    analysis = one(db, "SELECT ml_analyze_feedback()")
    listed = analysis["harmful_patterns"]
    assert [p["pattern_id"] for p in listed["patterns"]] == list(range(23, 3, -1)) and listed["more"] == 3
    slower = [r for r in analysis["recommendations"] if r["rule"] == "slower_pattern"]
    assert len(slower) == 21 and slower[-1]["figures"] == {"listed": 20, "more": 3} and "pattern_id" not in slower[-1]
    assert slower[-1]["message"].startswith("3 more harmful patterns lose less time in the last 30 days than the 20")
    text = " ".join(one(db, "SELECT ml_improvement_report_text()").split())
    assert "[warning] 3 more harmful patterns lose less time" in text
    assert all(f"Pattern {i} (" in text for i in range(4, 24)) and "Pattern 3 (" not in text


def test_reports_summary_and_health(db):
    opt = record(db, 1, 30)
    feed(db, opt, [35] * 3)
    db.execute("SELECT * FROM ml_refine()")
    report = one(db, "SELECT ml_improvement_report()")
    assert set(report) == {"summary", "analysis", "accuracy", "trend", "refinements", "flagged_and_retired"}
    assert [row["type"] for row in report["accuracy"]] == ["index"]          # the overall figures are the summary's
    text = one(db, "SELECT ml_improvement_report_text()")
    for section in ("Summary", "Accuracy by type", "Accuracy per day, last 30 days", "Patterns that work",
                    "Flagged and retired", "Recommendations", "Refinements"):
        assert f"\n{section}\n" in text
    # Each figure once: the summary is not repeated further down.
    for figure in ("success rate", "estimation accuracy", "estimation bias", "mean improvement", "feedback"):
        assert len([line for line in text.splitlines() if line.startswith(f"  {figure} ")]) == 1, figure
    assert "trend over 30 days           not enough data" in text
    assert all(len(line) <= 120 for line in text.splitlines())
    summary = dict(db.execute("SELECT * FROM ml_stats_summary()").fetchall())
    assert summary["feedback"] == "3" and summary["success rate"] == "100%"
    assert summary["estimation bias"] == "underestimates by 5.0 points"
    assert summary["scheduled refinement"] == "none (pg_cron not installed here)"
    health = {r[0]: r[1:] for r in db.execute("SELECT * FROM ml_health()")}
    assert [health[c][0] for c in ("extension", "parser", "refinement", "statistics")] == ["ok"] * 4
    assert health["pg_cron"][0] == "warning"
    db.execute("UPDATE query_ml.pattern_stats SET applications = applications + 1")
    assert one(db, "SELECT status FROM ml_health() WHERE \"check\" = 'statistics'") == "error"
    with past_the_triggers(db, "patterns"):      # past the trigger that would recompute it
        db.execute("UPDATE query_ml.patterns SET parser_version = 'pglast 7'")
    assert one(db, "SELECT status FROM ml_health() WHERE \"check\" = 'parser'") == "warning"


@pytest.mark.parametrize("error, verdict", [(None, "no feedback"), (1.2, "about right"),
                                            (12.34, "overestimates by 12.3 points"),
                                            (-7, "underestimates by 7.0 points")])
def test_bias_verdict_names_direction_and_size(db, error, verdict):
    assert db.execute("SELECT query_ml.bias_verdict(%s)", (error,)).fetchone()[0] == verdict
