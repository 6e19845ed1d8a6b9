"""ml_improvement_report: which functions it reads, in which order, and how the text lays out
what they return.  The rows are canned, as the functions return them (already rounded); the
analysis is analysis.analyze's, tested on its own.  tests/server/test_analysis.py runs the
report against real data."""
import json

import pytest

from query_ml import analysis, report, spi

from .fake_plpy import FakePlpy, SPIError, raises_sql

ANALYSIS = {
    "window_days": 30,
    "trend": {"verdict": "improving", "change_points": 4.5},
    "successful_patterns": [
        {"pattern_id": 3, "type": "index", "applications": 120, "success_rate": 0.95, "mean_improvement": 61.2,
         "confidence": 0.91, "signature": "SELECT_?"},
        {"pattern_id": 12, "type": "rewrite", "applications": 7, "success_rate": None, "mean_improvement": 8.5,
         "confidence": 0.4, "signature": "SELECT_INNER_JOIN_?"}],
    "recommendations": [
        {"severity": "warning", "message": "Pattern 9 (index, SELECT_?) made queries slower: mean -12.5% over 40 "
                                           "applications, 30 of them regressions. Stop applying it; ml_refine() "
                                           "retires it at 20 applications, or retire it now with "
                                           "ml_set_pattern_status(9, 'retired')."}],
}
TREND = [{"bucket_start": "2026-11-01 00:00:00+00", "feedback": 0, "accuracy": None, "bar": ""},
         {"bucket_start": "2026-11-02 00:00:00+00", "feedback": 12, "accuracy": 0.8, "bar": "########"},
         {"bucket_start": "2026-11-03 00:00:00+00", "feedback": 0, "accuracy": None, "bar": ""}]
SUMMARY = [{"metric": "patterns", "value": "14"}, {"metric": "estimation bias", "value": "about right"},
           {"metric": "feedback", "value": "130"}]
BY_TYPE = [{"type": "index", "applications": 120, "accuracy": 0.91, "within_10": 0.8, "mean_error": -1.2},
           {"type": "rewrite", "applications": 7, "accuracy": None, "within_10": None, "mean_error": None}]
RUNS = [{"id": 2, "finished_at": "2026-11-30 06:00:00+00", "mode": "incremental", "triggered_by": "pg_cron",
         "feedback_considered": 10, "patterns_considered": 2, "patterns_retired": 0, "patterns_flagged": 1,
         "accuracy_before": 0.8, "accuracy_after": 0.85}]
FLAGGED = [{"pattern_id": 9, "status": "flagged", "signature": "SELECT_?", "status_reason": "made queries slower " * 12}]


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    """The schema of the extension is looked up once per session: once per test here."""
    monkeypatch.setattr(spi, "_schema", {})
    monkeypatch.setattr(analysis, "analyze", lambda plpy, days: {**ANALYSIS, "window_days": days})


def server(schema="public", trend=TREND, summary=SUMMARY, by_type=BY_TYPE, runs=RUNS, flagged=FLAGGED):
    return FakePlpy([("pg_catalog.pg_extension", [{"nspname": schema}]), ("ml_accuracy_trend", trend),
                     ("ml_stats_summary", summary), ("ml_accuracy", by_type), ("ml_refinement_history", runs),
                     ("status <> 'active'", flagged)])


def section(text, title):
    """The lines of one section of the text report, its title left out."""
    lines = text.split("\n")
    start = lines.index(title) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_the_window_is_checked_first_and_its_error_comes_out_as_raised():
    plpy = server(trend=SPIError("query_ml: days must be between 1 and 3650", "22023", hint="Pass days => 30."))
    with raises_sql("22023") as info:
        report.as_text(plpy, 0)
    assert str(info.value) == "days must be between 1 and 3650" and info.value.hint == "Pass days => 30."
    assert [args for _, args in plpy.queries] == [None, [0]]       # the schema, then the trend: nothing else ran


def test_the_window_is_a_parameter_and_the_functions_are_the_extensions_own():
    plpy = server(schema='odd "schema"')
    report.report(plpy, 7)
    assert plpy.queries[1][1] == [7]
    called = [query for query, _ in plpy.queries if " ml_" in query or ".ml_" in query]
    assert len(called) == 4 and all('"odd ""schema""".ml_' in query for query in called)


def test_the_json_keeps_every_part_and_writes_values_as_they_came():
    document = json.loads(report.as_json(server(), 30))
    assert document["summary"] == {"patterns": "14", "estimation bias": "about right", "feedback": "130"}
    assert document["accuracy"] == BY_TYPE and document["trend"] == TREND and document["refinements"] == RUNS
    assert document["flagged_and_retired"] == FLAGGED and document["analysis"] == ANALYSIS


def test_the_title_names_the_window():
    lines = report.as_text(server(), 14).split("\n")
    assert lines[:3] == ["query_ml improvement report, last 14 days", "=" * 41, ""]


def test_the_trend_verdict_follows_the_estimation_bias_in_the_summary():
    assert section(report.as_text(server(), 30), "Summary") == [
        "  patterns                     14",
        "  estimation bias              about right",
        "  trend over 30 days           improving (+4.5 points)",
        "  feedback                     130"]


def test_a_trend_without_figures_is_its_verdict_alone(monkeypatch):
    monkeypatch.setattr(analysis, "analyze", lambda plpy, days: {
        **ANALYSIS, "window_days": days, "trend": {"verdict": "not enough feedback", "change_points": None}})
    assert "  trend over 30 days           not enough feedback" in section(report.as_text(server(), 30), "Summary")


def test_tables_align_numbers_right_and_show_nothing_as_a_dash():
    assert section(report.as_text(server(), 30), "Accuracy by type") == [
        "  type     results  accuracy  within 10 points  mean error",
        "  index        120      0.91               0.8        -1.2",
        "  rewrite        7         -                 -           -"]


def test_days_without_feedback_are_left_out_of_the_trend():
    text = report.as_text(server(), 30)
    assert section(text, "Accuracy per day, last 30 days") == ["  2026-11-02      12  ########"]
    quiet = [dict(row, feedback=0) for row in TREND]
    assert section(report.as_text(server(trend=quiet), 30), "Accuracy per day, last 30 days") == ["  none"]


def test_long_reasons_and_recommendations_are_wrapped_under_their_first_line():
    text = report.as_text(server(), 30)
    for title, first in (("Flagged and retired", "  #9     flagged  "), ("Recommendations", "  [warning] ")):
        lines = section(text, title)
        assert len(lines) > 1 and lines[0].startswith(first)
        assert all(line.startswith(" " * len(first)) and line[len(first)] != " " for line in lines[1:])
        assert all(len(line) <= report.WIDTH for line in lines)
        # Wrapping loses no word.
        assert " ".join(line.strip() for line in lines).split() == (first + {
            "Flagged and retired": FLAGGED[0]["status_reason"],
            "Recommendations": ANALYSIS["recommendations"][0]["message"]}[title]).split()


def test_empty_sections_say_none():
    text = report.as_text(server(trend=[], by_type=[], runs=[], flagged=[]), 30)
    for title in ("Accuracy by type", "Accuracy per day, last 30 days", "Flagged and retired", "Refinements"):
        assert section(text, title) == ["  none"], title


def test_the_refinements_are_listed_as_the_history_gives_them():
    assert section(report.as_text(server(), 30), "Refinements") == [
        "  run  finished                mode         by       results  patterns  retired  flagged  accuracy before  after",
        "    2  2026-11-30 06:00:00+00  incremental  pg_cron       10         2        0        1              0.8   0.85"]
