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
REPEAT_MS = 10
SUPPORTED = range(120000, 180000)
_lib = None


def _timers(plpy):
    global _lib
    if _lib is None:
        version = int(plpy.execute("SELECT pg_catalog.current_setting('server_version_num') AS v")[0]["v"])
        if version not in SUPPORTED:
            fail(plpy, "0A000", f"ml_track cannot time statements on server version {version}",
                 detail="It drives the server's statement timer, whose layout it knows for PostgreSQL 12 to 17.")
        lib = ctypes.CDLL(None)
        lib.enable_timeout_at.argtypes = [ctypes.c_int, ctypes.c_int64]
        lib.disable_timeout.argtypes = [ctypes.c_int, ctypes.c_bool]
        lib.get_timeout_active.argtypes = [ctypes.c_int]
        lib.get_timeout_active.restype = ctypes.c_bool
        lib.get_timeout_finish_time.argtypes = [ctypes.c_int]
        lib.get_timeout_finish_time.restype = ctypes.c_int64
        lib.GetCurrentTimestamp.restype = ctypes.c_int64
        # PostgreSQL 15 and later: the timer fires again every REPEAT_MS after the limit.
        lib.repeat = getattr(lib, "enable_timeout_every", None)
        if lib.repeat is not None:
            lib.repeat.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int]
        lib.cancel_pending = ctypes.c_int.in_dll(lib, "QueryCancelPending")
        _lib = lib
    return _lib


@contextlib.contextmanager
def statement_limit(plpy, milliseconds):
    """Cancel what runs inside after milliseconds, never later than the caller's own timeout.

    Past the limit the cancellation is raised again every REPEAT_MS, so code that catches
    it is cancelled again at its next interruption point.  Yields a dict whose "fired" is
    true afterwards if the limit was reached: the caller reports 57014 itself, and a
    cancellation still pending from this timer is withdrawn so that it does not surface
    later, somewhere else."""
    lib = _timers(plpy)
    outer = lib.get_timeout_finish_time(STATEMENT_TIMEOUT) if lib.get_timeout_active(STATEMENT_TIMEOUT) else None
    if outer is not None:
        milliseconds = max(1, min(milliseconds, (outer - lib.GetCurrentTimestamp()) // 1000))
    deadline = lib.GetCurrentTimestamp() + int(milliseconds) * 1000
    if lib.repeat is not None:
        lib.repeat(STATEMENT_TIMEOUT, deadline, REPEAT_MS)
    else:
        lib.enable_timeout_at(STATEMENT_TIMEOUT, deadline)
    timer = {"fired": False}
    try:
        yield timer
    finally:
        lib.disable_timeout(STATEMENT_TIMEOUT, False)
        # Not get_timeout_indicator: PostgreSQL 15 clears it on each re-arm and on disable_timeout.
        timer["fired"] = lib.GetCurrentTimestamp() >= deadline
        if timer["fired"]:
            lib.cancel_pending.value = 0
        if outer is not None:
            lib.enable_timeout_at(STATEMENT_TIMEOUT, outer)
