"""Statements prepared once per session and reused: the hot paths run no planner; and the
subtransaction that is always rolled back, in which query_ml tries what it must not keep."""
import contextlib

from .errors import fail

_plans = {}
_OURS = "query_ml: "


def run(plpy, query, types=(), args=()):
    """Execute query with $n arguments of the given types, from a plan cached per session.

    An error that query_ml's own SQL raised comes out as it was raised, not as
    "spiexceptions.X: query_ml: ...".
    """
    plan = _plans.get((id(plpy), query))
    if plan is None:
        plan = _plans[(id(plpy), query)] = plpy.prepare(query, list(types))
    try:
        return plpy.execute(plan, list(args))
    except plpy.SPIError as error:
        message = error.args[0] if error.args else ""
        if isinstance(message, str) and message.startswith(_OURS):
            # spidata: (sqlerrcode, detail, hint, query, position, ...)
            spidata = getattr(error, "spidata", None) or (None, None, None)
            fail(plpy, error.sqlstate, message[len(_OURS):], spidata[1], spidata[2])
        raise


_schema = {}


def api(plpy, name):
    """The schema-qualified name of one of the extension's ml_* functions, wherever it was installed."""
    if "name" not in _schema:
        row = plpy.execute("SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
                           "ON n.oid = e.extnamespace WHERE e.extname = 'query_ml'")
        _schema["name"] = plpy.quote_ident(row[0]["nspname"])
    return f"{_schema['name']}.{name}"


def setting(plpy, name):
    """One setting's effective value, as text (query_ml.setting: the one reader)."""
    return run(plpy, "SELECT query_ml.setting($1) AS v", ["text"], [name])[0]["v"]


def current_user(plpy):
    """The role the caller acts as (CURRENT_USER is SQL syntax: no search_path finds it)."""
    return run(plpy, "SELECT CURRENT_USER::text AS me")[0]["me"]


class _RolledBack(Exception):
    """Raised to end a subtransaction by rolling it back."""


@contextlib.contextmanager
def rolled_back(plpy):
    """A subtransaction that is rolled back whatever its body does; the body's errors pass."""
    try:
        with plpy.subtransaction():
            yield
            raise _RolledBack
    except _RolledBack:
        pass
