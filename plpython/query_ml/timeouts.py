"""A statement timeout for the statements a function runs.

PostgreSQL arms statement_timeout once, when a top-level statement starts: a
function that sets it changes nothing for the statements it runs itself.  So
ml_track arms the server's own STATEMENT_TIMEOUT timer (utils/timeout.h) around
each measured statement, through the functions the postgres binary exports, and
puts the caller's own timer back afterwards.  A statement that outlives the limit
is cancelled with SQLSTATE 57014, exactly as statement_timeout would cancel it.
"""
import contextlib
import ctypes

from .errors import fail

STATEMENT_TIMEOUT = 3        # TimeoutId in utils/timeout.h, unchanged from PostgreSQL 9.3 to 17
SUPPORTED = range(120000, 180000)
_lib = None


def _timers(plpy):
    global _lib
    if _lib is None:
        version = int(plpy.execute("SELECT current_setting('server_version_num') AS v")[0]["v"])
        if version not in SUPPORTED:
            fail(plpy, "0A000", f"ml_track cannot time statements on server version {version}",
                 detail="It drives the server's statement timer, whose layout it knows for PostgreSQL 12 to 17.")
        lib = ctypes.CDLL(None)
        lib.enable_timeout_after.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.enable_timeout_at.argtypes = [ctypes.c_int, ctypes.c_int64]
        lib.disable_timeout.argtypes = [ctypes.c_int, ctypes.c_bool]
        lib.get_timeout_active.argtypes = [ctypes.c_int]
        lib.get_timeout_active.restype = ctypes.c_bool
        lib.get_timeout_finish_time.argtypes = [ctypes.c_int]
        lib.get_timeout_finish_time.restype = ctypes.c_int64
        lib.GetCurrentTimestamp.restype = ctypes.c_int64
        _lib = lib
    return _lib


@contextlib.contextmanager
def statement_limit(plpy, milliseconds):
    """Cancel what runs inside after milliseconds, never later than the caller's own timeout."""
    lib = _timers(plpy)
    outer = lib.get_timeout_finish_time(STATEMENT_TIMEOUT) if lib.get_timeout_active(STATEMENT_TIMEOUT) else None
    if outer is not None:
        milliseconds = max(1, min(milliseconds, (outer - lib.GetCurrentTimestamp()) // 1000))
    lib.enable_timeout_after(STATEMENT_TIMEOUT, int(milliseconds))
    try:
        yield
    finally:
        lib.disable_timeout(STATEMENT_TIMEOUT, False)
        if outer is not None:
            lib.enable_timeout_at(STATEMENT_TIMEOUT, outer)
