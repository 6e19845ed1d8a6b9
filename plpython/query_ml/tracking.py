"""ml_track: measure an optimization inside the database, and store the result as feedback.

The original and the optimized query run under EXPLAIN (ANALYZE, BUFFERS, FORMAT
JSON), with TIMING OFF so that per-node clocks do not inflate the total, once to
warm up and then `runs` times each; the medians are stored.  Everything runs in
subtransactions that are always rolled back: the queries run read-only, an index
or a setting under test exists only inside, and nothing remains afterwards.

Trust: the measurement runs as the role that recorded the optimization, as pg_cron runs
a job as its owner, in a security-restricted operation (identity): a superuser measuring
a writer's optimization lends it no rights, whatever the SQL calls (a view, a function,
an index expression), and the code cannot SET ROLE back.  The caller must be a member of
that role (superusers are).  Stored optimized
text runs only when that same role stored it; otherwise the caller passes it.  The
server itself holds a measured query to one statement (query_ml.explain_measured), a
run is over at its time limit even if the measured code catches the cancellation, and
session state that would outlive the rollback (advisory locks, prepared statements,
cursors, LISTEN) is undone and the run refused.  The result is stored by a SECURITY
DEFINER function that takes only what this call measured (store_pending).
"""
import json
import re
import secrets
import statistics
import time

from . import identity, literals, patterns, spi, templates, timeouts
from .errors import (INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER_VALUE, OBJECT_NOT_IN_PREREQUISITE_STATE,
                     SYNTAX_ERROR, fail)
from .fingerprints import fingerprint
from .parsing import parse_tree

READ_ONLY = "25006"
QUERY_CANCELED = "57014"
LOCK_NOT_AVAILABLE = "55P03"
NOT_SUPPORTED = "0A000"
# Stored, never run: they take effect outside the transaction that measures.
NEVER_RUN = {"AlterSystemStmt", "AlterRoleSetStmt", "AlterDatabaseSetStmt"}
# Measurements between measuring and storing, by nonce; see store_pending.
_pending = {}


def track(plpy, optimization_id, runs, sql, timeout_ms, search_path, optimized=None):
    """Measure before and after, store the medians as feedback; returns the feedback row as shown (feedback_shown)."""
    opt = _optimization(plpy, optimization_id)
    runs = int(runs if runs is not None else spi.setting(plpy, "track_runs"))
    timeout_ms = int(timeout_ms if timeout_ms is not None else spi.setting(plpy, "track_timeout_ms"))
    if not 1 <= runs <= 100:
        fail(plpy, INVALID_PARAMETER_VALUE, f"runs must lie between 1 and 100, not {runs}")
    if not 1 <= timeout_ms <= 3600000:
        fail(plpy, INVALID_PARAMETER_VALUE, f"timeout_ms must lie between 1 and 3600000, not {timeout_ms}")
    _authored(plpy, opt, sql, optimized)

    original = _original(plpy, opt, sql)
    _read_only(plpy, original, "original")
    setup, measured = _plan(plpy, opt, original, optimized)
    limit = {"ms": timeout_ms, "search_path": search_path, "lock_ms": int(spi.setting(plpy, "track_lock_timeout_ms"))}

    before, after = [], []
    state = _session_state(plpy)
    _no_advisory_locks(plpy, state)
    try:
        with spi.rolled_back(plpy), identity.acting_as(plpy, opt["recorded_by"], f"optimization {opt['id']}"):
            if setup is None:
                _measure(plpy, [("original", original, before), ("optimized", measured, after)], runs, limit)
            else:
                _measure(plpy, [("original", original, before)], runs, limit)
                _run(plpy, "SELECT query_ml.run_setup($1, $2, $3)", ["text", "text", "integer"],
                     [setup, search_path, limit["lock_ms"]], "set-up", limit)
                _measure(plpy, [("optimized", measured, after)], runs, limit)
    finally:
        _undo_leftovers(plpy, state)
    return _store(plpy, optimization_id, before, after, runs)


def _optimization(plpy, optimization_id):
    rows = spi.run(plpy, """
        SELECT o.id, o.original_query, o.created_by::text AS recorded_by, p.fingerprint, p.optimization_type,
               p.optimized_template, p.normalized_query, p.created_by::text AS stored_by
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


def _authored(plpy, opt, sql, optimized):
    """Stored optimized text runs only as the role that stored it: the measurement runs as the
    optimization's recorder, so a pattern another role stored needs optimized => from the caller."""
    if optimized is None and opt["stored_by"] != opt["recorded_by"]:
        fail(plpy, INSUFFICIENT_PRIVILEGE,
             f"the optimized text of optimization {opt['id']} was stored by {opt['stored_by']}, and ml_track "
             f"measures as {opt['recorded_by']}, who recorded it",
             detail="ml_track never runs one role's stored SQL with another role's rights.",
             hint=f"Pass the optimized text to run: ml_track({opt['id']}, sql => '...', optimized => '...').")


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


def _plan(plpy, opt, original, optimized):
    """(set-up statement or None, the query measured after it) for the optimization's type."""
    kind = opt["optimization_type"]
    if optimized is None:
        text = opt["optimized_template"]
        if "$" in text:
            text = templates.apply(plpy, text, opt["normalized_query"], original, opt["id"])
    else:
        text = optimized
        if _tree(plpy, templates.make_template(plpy, original, text)) != _tree(plpy, opt["optimized_template"]):
            fail(plpy, INVALID_PARAMETER_VALUE, f"the optimized text does not fit optimization {opt['id']}",
                 detail="With the query's values as parameters, it differs from the optimization's stored text.",
                 hint="ml_pattern(pattern_id) shows the stored text; pass that statement with your values.")
    if kind in ("rewrite", "hint"):
        _read_only(plpy, text, "optimized")
        return None, text
    if next(iter(parse_tree(plpy, text))) in NEVER_RUN:
        fail(plpy, NOT_SUPPORTED, f"ml_track cannot measure this {kind} optimization inside a transaction",
             detail="ALTER SYSTEM, ALTER ROLE ... SET and ALTER DATABASE ... SET take effect outside it.",
             hint="Measure it by hand and give the result to ml_submit_feedback().")
    return text, original


def _tree(plpy, sql):
    """The parse tree without positions: equal for statements that mean the same."""
    def strip(node):
        if isinstance(node, dict):
            return {key: strip(value) for key, value in node.items() if key != "location"}
        return [strip(item) for item in node] if isinstance(node, list) else node
    return strip(parse_tree(plpy, sql))


def _read_only(plpy, sql, which):
    found = patterns.effects(plpy, sql)
    if found["kind"] != "SelectStmt" or found["writes"] or found["into"] or found["locks"]:
        fail(plpy, READ_ONLY, f"ml_track only measures read-only queries, and the {which} query is not one",
             detail="It writes, locks rows or creates a table; ml_track runs SELECT, VALUES and TABLE queries.",
             hint="Measure it by hand and give the result to ml_submit_feedback().")


def _measure(plpy, queries, runs, limit):
    """One warm-up, then runs rounds; each round runs every query once."""
    for which, sql, _ in queries:
        _explain(plpy, sql, which, limit)
    for _ in range(runs):
        for which, sql, sink in queries:
            sink.append(_metrics(_explain(plpy, sql, which, limit)))


def _explain(plpy, sql, which, limit):
    return _run(plpy, "SELECT query_ml.explain_measured($1, $2) AS plan", ["text", "text"],
                [sql.strip().rstrip(";"), limit["search_path"]], which, limit)


def _run(plpy, statement, types, args, which, limit):
    """Run one measured step under the time limit; its errors keep their SQLSTATE, not its values."""
    started = time.monotonic()
    try:
        with timeouts.statement_limit(plpy, limit["ms"]) as timer:
            result = spi.run(plpy, statement, types, args)
    except plpy.SPIError as error:
        message = scrub(error.args[0] if error.args else str(error), error.sqlstate)
        if error.sqlstate == QUERY_CANCELED:
            _over_time(plpy, which, limit)
        if error.sqlstate == READ_ONLY:
            fail(plpy, READ_ONLY, f"the {which} query tries to write, and ml_track runs queries read-only",
                 detail=message)
        if error.sqlstate == INSUFFICIENT_PRIVILEGE:
            fail(plpy, INSUFFICIENT_PRIVILEGE, f"you may not run the {which} query: {message}",
                 hint="ml_track runs them with the rights of the role that recorded the optimization, in a "
                      "security-restricted operation (no SET ROLE, PREPARE, LISTEN or temporary tables).")
        if error.sqlstate == LOCK_NOT_AVAILABLE:
            fail(plpy, LOCK_NOT_AVAILABLE, f"ml_track could not lock the table for the {which} step within "
                                           f"{limit['lock_ms']} ms",
                 hint="Measure when the table is less busy, or allow longer with "
                      "ml_set_setting('track_lock_timeout_ms', ...).")
        if error.sqlstate == "42P11":   # the server holds a cursor to one statement
            fail(plpy, SYNTAX_ERROR, f"the {which} query must be one statement, and the server read more",
                 hint="Pass one statement.")
        fail(plpy, error.sqlstate, f"the {which} query failed while measured: {message}")
    # Measured code that caught the cancellation and went on is over its limit all the same.
    if timer["fired"] or (time.monotonic() - started) * 1000 > limit["ms"]:
        _over_time(plpy, which, limit)
    return result


def _over_time(plpy, which, limit):
    fail(plpy, QUERY_CANCELED, f"ml_track stopped the {which} query after {limit['ms']} ms",
         hint="Allow more time with timeout_ms => or ml_set_setting('track_timeout_ms', ...).")


# A server message quotes values in "…" or '…', and prints numbers bare.  Values may hold
# quotes themselves, so a quoted part runs to the last quote of its kind.
_QUOTED = re.compile(r'"[\s\S]*"|\'[\s\S]*\'')
_NUMBER = re.compile(r"(?<![\w.$])[-+]?(?:0[xX][0-9a-fA-F]+|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def scrub(message, sqlstate=None):
    """A server message without the values it names.  What follows ': ' is a value (the input
    that did not parse, the operator or name that does not exist, the bytes that are not
    UTF-8), so it goes; in what is left, every quoted part and number becomes '...'.  A message
    that a function raised itself (class P0) is the function's own text, and is left out."""
    if (sqlstate or "").startswith("P0"):
        return "a function it calls raised an error"
    message = _QUOTED.sub("...", message or "").split(": ", 1)     # quotes first: a value may hold ': '
    return _NUMBER.sub("...", message[0]) + (": ..." if len(message) > 1 else "")


# Session state that a rollback does not undo, read before and after a measurement.
_STATE = """
    SELECT (SELECT coalesce(pg_catalog.array_agg(ROW(l.classid, l.objid, l.objsubid, l.mode)::text), '{}')
              FROM pg_catalog.pg_locks l
             WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid()
               -- query_ml's own statistics locks (lock_stats), held by an earlier ml_track's store
               AND NOT (l.classid = 1903519081 AND l.objsubid = 2)) AS locks,
           (SELECT coalesce(pg_catalog.array_agg(s.name), '{}') FROM pg_catalog.pg_prepared_statements s) AS prepared,
           (SELECT coalesce(pg_catalog.array_agg(c.name), '{}') FROM pg_catalog.pg_cursors c) AS cursors,
           (SELECT coalesce(pg_catalog.array_agg(c), '{}') FROM pg_catalog.pg_listening_channels() c) AS channels"""
_UNDO = {"prepared": "DEALLOCATE {}", "cursors": "CLOSE {}", "channels": "UNLISTEN {}"}
_WHAT = {"locks": "a session-level advisory lock", "prepared": "a prepared statement", "cursors": "an open cursor",
         "channels": "a LISTEN"}


def _session_state(plpy):
    return {key: set(value) for key, value in spi.run(plpy, _STATE)[0].items()}


def _no_advisory_locks(plpy, state):
    if state["locks"]:
        # A lock taken again by the measured code shows no new row in pg_locks.
        fail(plpy, OBJECT_NOT_IN_PREREQUISITE_STATE, "ml_track does not run while this session holds advisory locks",
             detail="It could not tell its caller's locks from those the measured code takes.",
             hint="Release them first (pg_advisory_unlock_all()), or measure from another session.")


def _undo_leftovers(plpy, before):
    """Undo what the measured code left in the session past the rollback, then refuse the run."""
    after = _session_state(plpy)
    left = {key: after[key] - before[key] for key in after if after[key] - before[key]}
    if left.get("locks"):       # the session held none before: all are the measured code's
        spi.run(plpy, "SELECT pg_catalog.pg_advisory_unlock_all()")
    for key, undo in _UNDO.items():
        for name in left.get(key, ()):
            plpy.execute(undo.format(plpy.quote_ident(name)))
    if left:
        fail(plpy, OBJECT_NOT_IN_PREREQUISITE_STATE,
             f"the measured code left {' and '.join(_WHAT[key] for key in sorted(left))} behind; "
             "ml_track undid it and stored nothing",
             detail="Session state outlives the rollback that ends every measurement.",
             hint="Measure queries that take no session-level lock, prepare no statement, open no cursor "
                  "and LISTEN to nothing.")


def _metrics(result):
    plan = json.loads(result[0]["plan"])[0]
    top = plan["Plan"]
    return {"execution": plan["Execution Time"], "planning": plan["Planning Time"], "rows": top.get("Actual Rows", 0),
            "hit": top.get("Shared Hit Blocks", 0), "read": top.get("Shared Read Blocks", 0)}


def _median(samples, key):
    return statistics.median(sample[key] for sample in samples)


def _store(plpy, optimization_id, before, after, runs):
    nonce = secrets.token_hex(16)
    _pending[nonce] = {
        "caller": spi.current_user(plpy),
        "values": [optimization_id, max(_median(before, "execution"), 0.001), _median(after, "execution"),
                   _median(before, "planning"), _median(after, "planning"), int(_median(before, "rows")),
                   int(_median(after, "rows")), int(_median(before, "hit")), int(_median(before, "read")),
                   int(_median(after, "hit")), int(_median(after, "read")), runs]}
    try:
        feedback_id = spi.run(plpy, "SELECT query_ml.store_measurement($1) AS id", ["text"], [nonce])[0]["id"]
    finally:
        _pending.pop(nonce, None)
    return list(spi.run(plpy, "SELECT * FROM query_ml.feedback_shown WHERE feedback_id = $1",
                        ["bigint"], [feedback_id]))


def store_pending(plpy, nonce):
    """query_ml.store_measurement (SECURITY DEFINER): store the measurement that ml_track holds
    under nonce, as its caller's feedback measured by ml_track.  No nonce, no row."""
    measured = _pending.pop(nonce, None) if nonce else None
    if measured is None:
        fail(plpy, INSUFFICIENT_PRIVILEGE, "only ml_track stores feedback measured by ml_track",
             hint="Submit your own measurements with ml_submit_feedback().")
    return spi.run(plpy, """
        INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, before_planning_ms,
               after_planning_ms, before_rows, after_rows, before_shared_hit, before_shared_read, after_shared_hit,
               after_shared_read, runs, measured_by, submitted_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'ml_track', $13) RETURNING id""",
        ["bigint", "float8", "float8", "float8", "float8", "bigint", "bigint", "bigint", "bigint", "bigint",
         "bigint", "integer", "name"], [*measured["values"], measured["caller"]])[0]["id"]

