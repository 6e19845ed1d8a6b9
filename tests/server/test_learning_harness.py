"""The learning report's harness (bench/learning.py) at a small size: its streams follow their
rules, its figures are computed right, and one short stream and a few JOB templates run against
the server.  The report's aims are make bench's, never checked here."""
import pathlib
import statistics
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import learning  # noqa: E402

STREAMS = {s.name: s for s in learning.STREAMS}


def small(name, seed=1, patterns=12, days=6):
    return learning.plan(STREAMS[name], seed, patterns, days, flip_day=3, recovery_day=4)


def test_streams_follow_their_rules():
    assert small("half") == small("half") and small("half").measurements != small("half", seed=2).measurements
    for p in small("half").patterns:
        assert p.estimate == pytest.approx(p.truth[0] / 2, abs=1e-4)
    for p in small("high").patterns:
        assert p.estimate == pytest.approx(min(100.0, p.truth[0] + 25), abs=1e-4)
    assert {p.estimate for p in small("constant").patterns} == {30.0}
    change = small("change")
    roles = [p.role for p in change.patterns]
    assert roles == ["flip"] * 6 + ["recover"] * 4 + ["stable"] * 2
    assert change.patterns[0].truth == [40.0] * 3 + [-30.0] * 3
    assert change.patterns[6].truth == [-30.0] * 4 + [40.0] * 2
    sparse = learning.plan(STREAMS["sparse"], 1)
    applications = [sum(m.pattern == p.index for m in sparse.measurements) for p in sparse.patterns]
    assert sum(1 <= n <= 8 for n in applications) >= len(applications) / 2
    queries = [p.query for p in learning.plan(STREAMS["half"], 1).patterns]
    assert len(set(queries)) == len(queries) == learning.PATTERNS


def test_measurements_are_valid_feedback():
    plan = learning.plan(STREAMS["heavy"], 3)
    assert [m.applied_at for m in plan.measurements] == sorted(m.applied_at for m in plan.measurements)
    for m in plan.measurements:
        assert m.before_ms > 0 and m.after_ms >= 0 and m.improvement <= 99.9 + 1e-9
        assert m.improvement == pytest.approx(100 * (m.before_ms - m.after_ms) / m.before_ms)
    noise = [m.improvement - plan.patterns[m.pattern].truth[m.day] for m in plan.measurements]
    assert abs(statistics.median(noise)) < 2


def test_next_day_errors_and_auc():
    plan = small("half", days=5)
    truth = [{i: p.truth[d] for i, p in enumerate(plan.patterns)} for d in range(plan.days)]
    errors, n, stand_ins = learning.next_day_errors(plan, truth)
    assert errors["expected"] == 0 and n > 0 and stand_ins == 0
    assert errors["estimate"] == pytest.approx(statistics.fmean(
        abs(p.truth[0]) / 2 for d in range(1, plan.days)
        for p in {plan.patterns[m.pattern].index: plan.patterns[m.pattern] for m in plan.measurements
                  if m.day == d}.values()))
    missing = [{i: None for i in range(len(plan.patterns))} for _ in range(plan.days)]
    errors, n, stand_ins = learning.next_day_errors(plan, missing)
    assert stand_ins == n and errors["expected"] == errors["estimate"]
    assert learning.auc([0.9, 0.8], [0.1, 0.8]) == 0.875
    assert learning.auc([], [0.1]) is None


def test_a_flip_is_counted_in_applications():
    watch = learning.Watch(small("change").patterns[0])
    for applications, suggested in ((1, True), (2, True), (3, False), (4, True)):
        watch.applications = applications
        watch.look(suggested)
    assert (watch.acted_after, watch.relapses) == (3, 1)


def test_aliases_are_renamed_where_declared_and_used():
    sql = "SELECT MIN(t.title) AS movie, MIN(mi.info) FROM title AS t, movie_info AS mi WHERE t.id = mi.movie_id"
    renamed, aliases = learning.rename_aliases(sql)
    assert aliases == {"t", "mi"}
    assert renamed == ("SELECT MIN(t_x.title) AS movie, MIN(mi_x.info) FROM title AS t_x, movie_info AS mi_x "
                       "WHERE t_x.id = mi_x.movie_id")


def test_a_short_stream_runs(fresh_db):
    with fresh_db.connect() as conn:
        outcome = learning.simulate(conn, small("change"))
    assert outcome.predictions > 0 and outcome.errors["expected"] >= 0
    assert len(outcome.flips) == 6 and len(outcome.recoveries) == 4
    assert outcome.good >= 4 and outcome.harmful >= 6 and 0 <= outcome.auc <= 1
    assert all(w.applications > 0 for w in outcome.flips + outcome.recoveries)


@pytest.mark.corpus
def test_job_figures_on_a_few_templates(fresh_db, corpora):
    queries = {name: sql for name, sql in learning.job_queries(corpora / "job").items()
               if learning.template(name) in ("1", "6", "8", "9")}
    for name, sql in queries.items():
        renamed, aliases = learning.rename_aliases(sql)
        assert aliases and not any(f" {alias}." in renamed or f"({alias}." in renamed for alias in aliases), name
    with fresh_db.connect() as conn:
        found = learning.job(conn, queries)
    assert found["queries"] == len(queries) and found["templates"] == 4
    assert set(found["other_template"]) <= set(queries)
    assert set(found["own_top"]) | set(found["nothing"]) | set(found["other_top"]) == set(found["judged"])
    assert found["renamed_fingerprint_changed"] == len(queries)
    figures = learning.job_figures(found)
    assert [f.unit for f in figures] == ["%"] * 3


def test_a_missing_column_is_named():
    class Conn:
        def execute(self, sql, *args):
            names = ["pattern_id", "match_kind", "similarity", "confidence", "expected_improvement", "status"]
            return type("Cursor", (), {"description": [type("Column", (), {"name": n}) for n in names]})()

    with pytest.raises(learning.MissingInterface, match="ml_match_pattern has no score column.*"
                                                        "pattern_matches has no score column"):
        learning.check_interface(Conn())
