"""Scheduling ml_refine() with pg_cron: a real job, and clear errors without pg_cron."""
import time

import psycopg
import pytest


def first_run(conn, job):
    """(status, message) of the job's first finished run.  pg_cron 1.4 runs a job at the start of
    a minute, so this returns within about a minute, as soon as pg_cron reports the run ended;
    the bound (the next minute but one, with room to spare) only catches a broken test."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        run = conn.execute("SELECT status, return_message FROM cron.job_run_details "
                           "WHERE jobid = %s AND status IN ('succeeded', 'failed') ORDER BY runid LIMIT 1",
                           (job,)).fetchone()
        if run is not None:
            return run
        time.sleep(0.2)     # the polling interval: it decides how soon the end is seen, nothing else
    pytest.fail("pg_cron never finished a run of the job: " + repr(conn.execute(
        "SELECT status, return_message FROM cron.job_run_details WHERE jobid = %s", (job,)).fetchall()))


@pytest.mark.slow
def test_a_real_pg_cron_job_runs_the_refinement(cron_db):
    with cron_db.connect() as conn:
        conn.execute("SELECT ml_record_optimization('select * from t where a = 1', 'create index on t (a)', 'index', 20)")
        conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                     "SELECT id, 100, 60 FROM query_ml.optimizations")
        job = conn.execute("SELECT ml_schedule_refinement('* * * * *')").fetchone()[0]
        assert conn.execute("SELECT schedule, command FROM cron.job WHERE jobid = %s", (job,)).fetchone() \
            == ("* * * * *", "SELECT public.ml_refine(false)")
        try:
            status, message = first_run(conn, job)
            assert status == "succeeded", message
            assert conn.execute("SELECT triggered_by, patterns_considered FROM query_ml.refinement_runs "
                                "ORDER BY id LIMIT 1").fetchone() == ("pg_cron", 1)
            assert conn.execute("SELECT status FROM ml_health() WHERE \"check\" = 'pg_cron'").fetchone()[0] == "ok"
        finally:
            assert conn.execute("SELECT ml_unschedule_refinement()").fetchone()[0] is True
        assert conn.execute("SELECT count(*) FROM cron.job").fetchone()[0] == 0
        notices = []
        conn.add_notice_handler(lambda diag: notices.append(diag.message_primary))
        assert conn.execute("SELECT ml_unschedule_refinement()").fetchone()[0] is False
        assert notices == ["query_ml: no refinement is scheduled"]


@pytest.mark.parametrize("expression", ["5 seconds", "* * * * * *", "* * *", "", "@daily; drop table x"])
def test_schedules_that_are_not_cron(db, expression):
    with pytest.raises(psycopg.errors.InvalidParameterValue) as info:
        db.execute("SELECT ml_schedule_refinement(%s)", (expression,))
    assert "five fields" in info.value.diag.message_detail


def test_without_pg_cron_the_error_says_what_to_do(db):
    for call in ("SELECT ml_schedule_refinement('*/10 * * * *')", "SELECT ml_unschedule_refinement()"):
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as info:
            db.execute(call)
        assert info.value.diag.message_primary == "query_ml: pg_cron is not installed in this database"
        # The server preloads pg_cron for qml_cron: the hint sends the DBA there.
        assert "pg_cron runs in database qml_cron" in info.value.diag.message_hint
        assert "cron.schedule_in_database" in info.value.diag.message_hint


def test_the_capture_is_scheduled_like_the_refinement(cron_db):
    with cron_db.connect() as conn:
        job = conn.execute("SELECT ml_schedule_capture('*/15 * * * *')").fetchone()[0]
        try:
            assert conn.execute("SELECT jobname, schedule, command FROM cron.job WHERE jobid = %s", (job,)).fetchone() \
                == ("query_ml_capture", "*/15 * * * *", "SELECT public.ml_capture_workload()")
            # Scheduling again replaces the schedule, as for the refinement.
            assert conn.execute("SELECT ml_schedule_capture('0 * * * *')").fetchone()[0] == job
            assert conn.execute("SELECT schedule FROM cron.job WHERE jobid = %s", (job,)).fetchone()[0] == "0 * * * *"
        finally:
            assert conn.execute("SELECT ml_unschedule_capture()").fetchone()[0] is True
        assert conn.execute("SELECT ml_unschedule_capture()").fetchone()[0] is False
