"""ml_track: measure an optimization inside the database, and store the result as feedback.

The original and the optimized query run under EXPLAIN (ANALYZE, BUFFERS, FORMAT
JSON), with TIMING OFF so that per-node clocks do not inflate the total, once to
warm up and then `runs` times each; the medians are stored.  Everything runs in
subtransactions that are always rolled back: the queries run read-only, an index
or a setting under test exists only inside, and nothing remains afterwards.  The
queries run with the caller's privileges (ml_track is SECURITY INVOKER) under a
per-statement time limit (timeouts).
"""
import json
import statistics

from . import literals, spi, templates, timeouts
from .errors import INVALID_PARAMETER_VALUE, fail
from .fingerprints import fingerprint
from .parsing import parse_tree

READ_ONLY = "25006"
QUERY_CANCELED = "57014"
NOT_SUPPORTED = "0A000"
WRITES = {"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"}


class _RolledBack(Exception):
    """Raised to end a subtransaction by rolling it back."""


def track(plpy, optimization_id, runs, sql, timeout_ms, search_path):
    """Measure before and after, store the medians as feedback; returns the feedback_details row."""
    opt = _optimization(plpy, optimization_id)
    runs = int(runs if runs is not None else _setting(plpy, "track_runs"))
    timeout_ms = int(timeout_ms if timeout_ms is not None else _setting(plpy, "track_timeout_ms"))
    if not 1 <= runs <= 100:
        fail(plpy, INVALID_PARAMETER_VALUE, f"runs must lie between 1 and 100, not {runs}")
    if not 1 <= timeout_ms <= 3600000:
        fail(plpy, INVALID_PARAMETER_VALUE, f"timeout_ms must lie between 1 and 3600000, not {timeout_ms}")

    original = _original(plpy, opt, sql)
    _read_only(plpy, original, "original")
    setup, optimized = _plan(plpy, opt, original)
    secrets = [v.strip("'") for u in literals.canonical(plpy, original)[1] for v in u.values if v]
    limit = {"ms": timeout_ms, "secrets": secrets}

    before, after = [], []
    try:
        with plpy.subtransaction():
            # The caller's queries resolve names as the caller would; undone with the rollback.
            plpy.execute("SELECT pg_catalog.set_config('search_path', %s, true)" % plpy.quote_literal(search_path))
            if setup is None:
                _measure(plpy, [("original", original, before), ("optimized", optimized, after)], runs, limit)
            else:
                _measure(plpy, [("original", original, before)], runs, limit)
                _run(plpy, setup, "setup", limit)
                _measure(plpy, [("optimized", optimized, after)], runs, limit)
            raise _RolledBack
    except _RolledBack:
        pass
    return _store(plpy, optimization_id, before, after, runs)


def _optimization(plpy, optimization_id):
    rows = spi.run(plpy, """
        SELECT o.id, o.original_query, p.fingerprint, p.optimization_type, p.optimized_template, p.normalized_query
          FROM query_ml.optimizations o JOIN query_ml.patterns p ON p.id = o.pattern_id
         WHERE o.id = $1""", ["bigint"], [optimization_id])
    if not rows.nrows():
        fail(plpy, "P0002", f"optimization {optimization_id} does not exist",
             hint="ml_record_optimization() records one and returns its id.")
    opt = rows[0]
    if opt["optimization_type"] == "other":
        fail(plpy, INVALID_PARAMETER_VALUE, f"optimization {optimization_id} cannot be measured",
             detail="Its type is other: a free-text description with nothing to run.",
             hint="Measure it by hand and give the result to ml_submit_feedback().")
    return opt


def _original(plpy, opt, sql):
    """The concrete original query: the one given, or the stored one when it needs no values."""
    if sql is None:
        if literals.canonical(plpy, opt["original_query"])[1]:
            fail(plpy, INVALID_PARAMETER_VALUE,
                 f"optimization {opt['id']} was recorded for a query with values, which query_ml does not keep",
                 detail=f"Its query is: {opt['original_query']}",
                 hint="Pass the query to measure, with its values: ml_track(id, sql => '...').")
        return opt["original_query"]
    if fingerprint(plpy, sql) != opt["fingerprint"]:
        fail(plpy, INVALID_PARAMETER_VALUE, f"the query does not fit optimization {opt['id']}",
             detail="Its fingerprint differs from the one the optimization was recorded for.",
             hint="Pass a query of the same shape; ml_match_pattern(sql) finds the patterns that fit it.")
    return sql


def _plan(plpy, opt, original):
    """(setup statement or None, optimized query) for the optimization's type."""
    kind = opt["optimization_type"]
    template = opt["optimized_template"]
    if "$" in template:
        template = templates.apply(plpy, template, opt["normalized_query"], original, opt["id"])
    if kind in ("rewrite", "hint"):
        _read_only(plpy, template, "optimized")
        return None, template
    statement = next(iter(parse_tree(plpy, template)))
    if statement in ("AlterSystemStmt", "AlterRoleSetStmt", "AlterDatabaseSetStmt", "ClusterStmt", "VacuumStmt"):
        fail(plpy, NOT_SUPPORTED, f"ml_track cannot measure this {kind} optimization inside a transaction",
             detail=f"It takes effect outside the current transaction: {template}",
             hint="Measure it by hand and give the result to ml_submit_feedback().")
    return template, original


def _read_only(plpy, sql, which):
    tree = parse_tree(plpy, sql)
    (kind, root), = tree.items()
    text = json.dumps(tree)
    if kind != "SelectStmt" or root.get("intoClause") or root.get("lockingClause") \
            or any(f'"{node}"' in text for node in WRITES):
        fail(plpy, READ_ONLY, f"ml_track only measures read-only queries, and the {which} query is not one",
             detail="It writes, locks rows or creates a table; ml_track runs SELECT, VALUES and TABLE queries.",
             hint="Measure it by hand and give the result to ml_submit_feedback().")


def _measure(plpy, queries, runs, limit):
    """One warm-up, then runs rounds; each round runs every query once."""
    for which, sql, _ in queries:
        _run(plpy, _explain(sql), which, limit)
    for _ in range(runs):
        for which, sql, sink in queries:
            sink.append(_metrics(_run(plpy, _explain(sql), which, limit)))


def _explain(sql):
    # One call, two statements: PL/Python runs each call in a subtransaction of its own, and
    # committing that restores the caller's read-write mode, so the switch must share the call.
    # sql is one statement (checked with the parser), so nothing else runs in the read-only call.
    return ("SET LOCAL transaction_read_only = on;\n"
            f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) {sql.strip().rstrip(';')}")


def _run(plpy, sql, which, limit):
    try:
        with timeouts.statement_limit(plpy, limit["ms"]):
            return plpy.execute(sql)
    except plpy.SPIError as error:
        message = _scrub(error.args[0] if error.args else str(error), limit["secrets"])
        if error.sqlstate == QUERY_CANCELED:
            fail(plpy, QUERY_CANCELED, f"ml_track stopped the {which} query after {limit['ms']} ms",
                 hint="Allow more time with timeout_ms => or ml_set_setting('track_timeout_ms', ...).")
        if error.sqlstate == READ_ONLY:
            fail(plpy, READ_ONLY, f"the {which} query tries to write, and ml_track runs queries read-only",
                 detail=message)
        if error.sqlstate == "42501":
            fail(plpy, "42501", f"you may not run the {which} query: {message}",
                 hint="ml_track runs the queries with your own privileges.")
        fail(plpy, error.sqlstate, f"the {which} query failed while measured: {message}")


def _scrub(message, secrets):
    """The error message without the query's literals."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 3:
            message = message.replace(secret, "?")
    return message


def _metrics(result):
    plan = json.loads(result[0]["QUERY PLAN"])[0]
    top = plan["Plan"]
    return {"execution": plan["Execution Time"], "planning": plan["Planning Time"], "rows": top.get("Actual Rows", 0),
            "hit": top.get("Shared Hit Blocks", 0), "read": top.get("Shared Read Blocks", 0)}


def _median(samples, key):
    return statistics.median(sample[key] for sample in samples)


def _store(plpy, optimization_id, before, after, runs):
    rows = spi.run(plpy, """
        INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, before_planning_ms,
               after_planning_ms, before_rows, after_rows, before_shared_hit, before_shared_read, after_shared_hit,
               after_shared_read, runs, measured_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'ml_track') RETURNING id""",
        ["bigint", "float8", "float8", "float8", "float8", "bigint", "bigint", "bigint", "bigint", "bigint",
         "bigint", "integer"],
        [optimization_id, max(_median(before, "execution"), 0.001), _median(after, "execution"),
         _median(before, "planning"), _median(after, "planning"), int(_median(before, "rows")),
         int(_median(after, "rows")), int(_median(before, "hit")), int(_median(before, "read")),
         int(_median(after, "hit")), int(_median(after, "read")), runs])
    return list(spi.run(plpy, "SELECT * FROM query_ml.feedback_details WHERE feedback_id = $1",
                        ["bigint"], [rows[0]["id"]]))


def _setting(plpy, name):
    return spi.run(plpy, "SELECT query_ml.setting($1) AS v", ["text"], [name])[0]["v"]
