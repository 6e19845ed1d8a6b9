"""Scheduling ml_refine() and ml_capture_workload() with pg_cron, and saying clearly what is
missing when it cannot."""
import re

from . import spi
from .errors import INVALID_PARAMETER_VALUE, OBJECT_NOT_IN_PREREQUISITE_STATE, fail, require

JOB = "query_ml_refine"
CAPTURE_JOB = "query_ml_capture"
# Each job: its pg_cron name, the function it calls, and its helpers, for the messages.
_JOBS = {
    JOB: ("ml_refine", "ml_schedule_refinement() and ml_unschedule_refinement()"),
    CAPTURE_JOB: ("ml_capture_workload", "ml_schedule_capture() and ml_unschedule_capture()"),
}
_FIELD = re.compile(r"^[0-9*,/\-A-Za-z]+$")
# A schedule quoted in an error is cut to this: the message must stay readable.
_SHOWN = 60


def _require_pg_cron(plpy, expression="*/10 * * * *", name=JOB):
    if plpy.execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron'").nrows():
        return
    # pg_settings leaves out what the caller may not see, where current_setting() would fail.
    row = plpy.execute("""SELECT current_database() AS db,
                                 (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'shared_preload_libraries') AS preload,
                                 (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'cron.database_name') AS cron_db""")[0]
    if row["preload"] is None:
        hint = ("pg_cron must be in shared_preload_libraries, with cron.database_name naming the database where "
                "CREATE EXTENSION pg_cron then runs; a superuser can check both.")
    elif "pg_cron" not in row["preload"]:
        hint = ("Add pg_cron to shared_preload_libraries, set cron.database_name = '%s' in postgresql.conf, "
                "restart the server, then CREATE EXTENSION pg_cron." % row["db"])
    elif row["cron_db"] and row["cron_db"] != row["db"]:
        hint = ("pg_cron runs in database %s. There, run: SELECT cron.schedule_in_database('%s', '%s', "
                "'SELECT %s()', '%s');" % (row["cron_db"], name, expression, spi.api(plpy, _JOBS[name][0]), row["db"]))
    else:
        hint = "Run CREATE EXTENSION pg_cron; in this database."
    fail(plpy, OBJECT_NOT_IN_PREREQUISITE_STATE, "pg_cron is not installed in this database",
         detail=f"{_JOBS[name][1]} use pg_cron's jobs.", hint=hint)


def schedule(plpy, expression, full):
    require(plpy, cron_expression=expression, full=full)
    return _schedule(plpy, JOB, expression, f"({'true' if full else 'false'})")


def schedule_capture(plpy, expression):
    require(plpy, cron_expression=expression)
    return _schedule(plpy, CAPTURE_JOB, expression, "()")


def _schedule(plpy, name, expression, arguments):
    fields = expression.split()
    if len(fields) != 5 or not all(_FIELD.match(f) for f in fields):
        shown = expression if len(expression) <= _SHOWN else expression[:_SHOWN] + "..."
        fail(plpy, INVALID_PARAMETER_VALUE, f'not a cron schedule: "{shown}"',
             detail="pg_cron takes five fields: minute, hour, day of month, month, day of week; a sixth field "
                    "would silently mean something else.",
             hint="Every ten minutes is '*/10 * * * *'; every hour at :05 is '5 * * * *'.")
    _require_pg_cron(plpy, " ".join(fields), name)
    command = f"SELECT {spi.api(plpy, _JOBS[name][0])}{arguments}"
    try:
        with plpy.subtransaction():
            return spi.run(plpy, "SELECT cron.schedule($1, $2, $3) AS job", ["text", "text", "text"],
                           [name, " ".join(fields), command])[0]["job"]
    except plpy.SPIError as error:
        fail(plpy, INVALID_PARAMETER_VALUE, f"pg_cron refused the schedule: {error.args[0]}",
             hint="Every ten minutes is '*/10 * * * *'.")


def unschedule(plpy, name=JOB):
    _require_pg_cron(plpy, name=name)
    if not spi.run(plpy, "SELECT 1 FROM cron.job WHERE jobname = $1", ["text"], [name]).nrows():
        what, helper = ("refinement", "ml_schedule_refinement('*/10 * * * *')") if name == JOB else \
            ("workload capture", "ml_schedule_capture('*/15 * * * *')")
        plpy.notice(f"query_ml: no {what} is scheduled", hint=f"{helper} schedules one.")
        return False
    return spi.run(plpy, "SELECT cron.unschedule($1) AS done", ["text"], [name])[0]["done"]


def job(plpy, name=JOB):
    """A scheduled job (jobid, schedule, active), or None; None too without pg_cron."""
    if not plpy.execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron'").nrows():
        return None
    rows = spi.run(plpy, "SELECT jobid, schedule, active FROM cron.job WHERE jobname = $1", ["text"], [name])
    return dict(rows[0]) if rows.nrows() else None
