"""The logic of the query_ml PostgreSQL extension.

Every function that SQL calls takes ``plpy`` as its first argument, so the same
code runs inside the server and in unit tests with a fake ``plpy``.
"""
import os
import sys

__version__ = "0.3.0"


def bootstrap(plpy, version):
    """Return this package once it is known to be the version the SQL expects.

    A session keeps the first package version it imports; after ALTER EXTENSION
    UPDATE the functions ask for the new one, and mixing the two must fail loudly.
    """
    from .errors import OBJECT_NOT_IN_PREREQUISITE_STATE, SYSTEM_ERROR, fail

    if version != __version__:
        fail(plpy, OBJECT_NOT_IN_PREREQUISITE_STATE,
             f"query_ml {__version__} is loaded in this session, but the extension is {version}",
             hint="Reconnect: a session keeps the Python package it loaded first.")
    import pglast

    expected = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if os.path.dirname(os.path.dirname(os.path.abspath(pglast.__file__))) != expected:
        fail(plpy, SYSTEM_ERROR,
             f"this session imported pglast from {os.path.dirname(pglast.__file__)}, not query_ml's own build",
             detail="Only the -Bsymbolic build installed by 'make install' is safe inside the server.",
             hint="Reconnect, and do not import pglast in other PL/Python functions before query_ml.")
    from . import (analysis, errors, features, fingerprints, fleet, health, matching, optimizations,  # noqa: F401
                   patterns, report, scheduling, signatures, tracking, workload)

    return sys.modules[__name__]
