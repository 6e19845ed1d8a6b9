"""Raising errors that carry an SQLSTATE, a message a DBA understands and a hint.

PL/Python prints an uncaught exception as "<module>.<class>: <message>" and
takes sqlstate, detail and hint from its attributes.  A plpy.Error subclass
named query_ml in builtins therefore reads "ERROR:  query_ml: <message>".
"""

SYNTAX_ERROR = "42601"
INVALID_PARAMETER_VALUE = "22023"
NULL_VALUE_NOT_ALLOWED = "22004"
STATEMENT_TOO_COMPLEX = "54001"
PROGRAM_LIMIT_EXCEEDED = "54000"
STRING_DATA_RIGHT_TRUNCATION = "22001"
INSUFFICIENT_PRIVILEGE = "42501"
OBJECT_NOT_IN_PREREQUISITE_STATE = "55000"
SYSTEM_ERROR = "58000"

_classes = {}


def error_class(plpy):
    """The query_ml exception class for this plpy (the real one, or a test fake)."""
    base = plpy.Error
    if base not in _classes:
        _classes[base] = type("query_ml", (base,), {"__module__": "builtins"})
    return _classes[base]


def fail(plpy, sqlstate, message, detail=None, hint=None):
    """Raise a PostgreSQL error; never returns."""
    error = error_class(plpy)(message)
    error.sqlstate, error.detail, error.hint = sqlstate, detail, hint
    raise error


def require(plpy, **arguments):
    """Refuse a NULL for each named argument that must have a value."""
    for name, value in arguments.items():
        if value is None:
            fail(plpy, NULL_VALUE_NOT_ALLOWED, f"{name} must not be NULL")
