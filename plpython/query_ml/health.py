"""ml_health: is query_ml in working order?  One row per check: ok, warning or error."""
from . import __version__, scheduling, similarity, spi
from .parsing import PARSER_VERSION


def check(plpy):
    rows = []

    def add(name, status, detail):
        rows.append({"check": name, "status": status, "detail": detail})

    ext = plpy.execute("""SELECT e.extversion, a.default_version FROM pg_catalog.pg_extension e
                            JOIN pg_catalog.pg_available_extensions a ON a.name = e.extname
                           WHERE e.extname = 'query_ml'""")[0]
    if ext["extversion"] != ext["default_version"]:
        add("extension", "warning", f"version {ext['extversion']} is installed, {ext['default_version']} is available: "
                                    "ALTER EXTENSION query_ml UPDATE")
    else:
        add("extension", "ok", f"version {ext['extversion']}, Python package {__version__}")

    behind = spi.run(plpy, """SELECT count(*) AS n FROM query_ml.patterns
                               WHERE parser_version <> $1 OR feature_version <> $2""",
                     ["text", "smallint"], [PARSER_VERSION, similarity.FEATURE_VERSION])[0]["n"]
    if behind:
        add("parser", "warning", f"{behind} patterns were fingerprinted by another parser or token scheme: "
                                 "SELECT * FROM ml_refingerprint_patterns()")
    else:
        add("parser", "ok", PARSER_VERSION)

    job = scheduling.job(plpy)
    if job is None:
        installed = plpy.execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron'").nrows()
        add("pg_cron", "warning", "pg_cron is installed but no refinement is scheduled: "
                                  "SELECT ml_schedule_refinement('*/10 * * * *')" if installed else
                                  "pg_cron is not installed in this database: refinement runs only when called")
    else:
        add("pg_cron", "ok" if job["active"] else "warning",
            f"job {job['jobid']} runs ml_refine() at '{job['schedule']}'" + ("" if job["active"] else ", but is inactive"))

    add(*_workload(plpy))

    # A row an admin inserted by hand may lack a finish time, or have an infinite one.
    last = plpy.execute("""SELECT id, query_ml.shown_time(finished_at) AS finished_at, mode,
                                  extract(epoch FROM now() - finished_at)::float8 AS age,
                                  now() - finished_at > interval '1 day' AS old
                             FROM query_ml.refinement_runs WHERE isfinite(finished_at) ORDER BY id DESC LIMIT 1""")
    if not last.nrows():
        add("refinement", "warning", "ml_refine() has never run")
    else:
        run = last[0]
        add("refinement", "warning" if run["old"] else "ok",
            f"last run {run['id']} ({run['mode']}) finished {run['finished_at']}, {_age(run['age'])} ago")

    differences = plpy.execute("SELECT count(*) AS n FROM query_ml.stats_differences()")[0]["n"]
    if differences:
        add("statistics", "error", f"{differences} maintained statistics differ from a recomputation: "
                                   "ml_refine(full => true) repairs them; ml_check_stats() lists them")
    else:
        add("statistics", "ok", "the maintained statistics equal a full recomputation from the feedback rows")
    return rows


def _workload(plpy):
    """pg_stat_statements: ready, or what is missing (query_ml.stat_statements says which)."""
    try:
        with plpy.subtransaction():
            plpy.execute("SELECT query_ml.stat_statements()")
    except plpy.SPIError as error:
        message = error.args[0].replace("query_ml: ", "", 1)
        return "pg_stat_statements", "warning", f"{message}: the workload functions need it. {error.spidata[2]}"
    if not plpy.execute("SELECT has_table_privilege('query_ml.workload_captures', 'SELECT') AS may")[0]["may"]:
        return "pg_stat_statements", "ok", "ready"      # the captures are an admin's to read
    last = plpy.execute("""SELECT id, extract(epoch FROM now() - captured_at)::float8 AS age, statements
                             FROM query_ml.workload_captures ORDER BY id DESC LIMIT 1""")
    if not last.nrows():
        return "pg_stat_statements", "ok", "ready; no capture yet: SELECT * FROM ml_capture_workload()"
    capture = last[0]
    return "pg_stat_statements", "ok", (f"ready; capture {capture['id']} of {capture['statements']} statements "
                                        f"{_age(capture['age'])} ago")


def _age(seconds):
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * size:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} seconds"
