"""Settings: defaults, changes, and bad values refused however they arrive."""
import psycopg
import pytest


def test_defaults_are_listed(shared_db):
    rows = {r[0]: r[1:] for r in shared_db.execute("SELECT name, value, is_default FROM ml_settings()")}
    assert rows["score_threshold"] == ("0.8", True)
    assert rows["success_min_improvement"] == ("5", True)


def test_set_and_reset(db):
    assert db.execute("SELECT ml_set_setting('score_threshold', '0.70')").fetchone()[0] == "0.70"
    assert db.execute("SELECT value, is_default FROM query_ml.settings WHERE name = 'score_threshold'") \
        .fetchone() == ("0.70", False)
    assert db.execute("SELECT ml_reset_setting('score_threshold')").fetchone()[0] == "0.8"
    assert db.execute("SELECT count(*) FROM query_ml.setting_values").fetchone()[0] == 0


@pytest.mark.parametrize("name, value, sqlstate", [
    ("score_threshold", "1.5", "22023"),
    ("score_threshold", "NaN", "22023"),
    ("score_threshold", "lots", "22023"),
    ("no_such_setting", "1", "42704"),
])
def test_bad_values_are_refused(db, name, value, sqlstate):
    with pytest.raises(psycopg.Error) as info:
        db.execute("SELECT ml_set_setting(%s, %s)", (name, value))
    assert info.value.sqlstate == sqlstate
    # A plain INSERT is checked the same way.
    with pytest.raises(psycopg.Error) as info:
        db.execute("INSERT INTO query_ml.setting_values (name, value) VALUES (%s, %s)", (name, value))
    assert info.value.sqlstate == sqlstate
    assert db.execute("SELECT count(*) FROM query_ml.setting_values").fetchone()[0] == 0


def test_out_of_range_error_names_the_range_and_the_default(db):
    with pytest.raises(psycopg.Error) as info:
        db.execute("SELECT ml_set_setting('score_threshold', '-1')")
    assert "between 0 and 1" in info.value.diag.message_primary
    assert "0.8" in info.value.diag.message_hint


def test_null_arguments_are_refused(db):
    with pytest.raises(psycopg.errors.NullValueNotAllowed):
        db.execute("SELECT ml_set_setting('score_threshold', NULL)")


def test_truncating_the_settings_is_refused_and_delete_recounts(db):
    """Round 1 of the concurrency review: TRUNCATE put the thresholds back without a recount.
    Round 2: a recount after TRUNCATE deadlocked against writers, so TRUNCATE is refused."""
    opt = db.execute("SELECT ml_record_optimization('SELECT * FROM t WHERE a = 1', 'CREATE INDEX ON t (a)', "
                     "'index', 30)").fetchone()[0]
    for after in (90, 80, 60):
        db.execute("SELECT * FROM ml_submit_feedback(%s, 100, %s)", (opt, after))
    db.execute("SELECT ml_set_setting('success_min_improvement', '30')")
    with pytest.raises(psycopg.errors.FeatureNotSupported) as info:
        db.execute("TRUNCATE query_ml.setting_values")
    assert info.value.diag.message_hint.startswith("DELETE FROM query_ml.setting_values")
    db.execute("DELETE FROM query_ml.setting_values")
    assert db.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    assert db.execute("SELECT sum(successes) FROM query_ml.pattern_totals").fetchone()[0] == 3
