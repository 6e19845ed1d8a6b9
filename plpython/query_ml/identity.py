"""Running measured code as another role, the way PostgreSQL runs an index expression as
its table's owner.

SET ROLE would not do: the measured code could RESET ROLE back to the session's user,
a superuser perhaps.  The server's own SetUserIdAndSecContext changes the current user
and marks a security-restricted operation, inside which the code cannot SET ROLE or
SET SESSION AUTHORIZATION, create temporary tables, PREPARE, DECLARE ... WITH HOLD or
LISTEN.  A subtransaction remembers the user it started with and restores it when it is
rolled back, which ml_track always does; the context manager also restores it itself.
"""
import contextlib
import ctypes

from .errors import INSUFFICIENT_PRIVILEGE, fail

SECURITY_LOCAL_USERID_CHANGE = 0x0001   # miscadmin.h, unchanged since PostgreSQL 9.3
SECURITY_RESTRICTED_OPERATION = 0x0002
_lib = None


def _server():
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(None)
        lib.GetUserIdAndSecContext.argtypes = [ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_int)]
        lib.SetUserIdAndSecContext.argtypes = [ctypes.c_uint32, ctypes.c_int]
        _lib = lib
    return _lib


@contextlib.contextmanager
def acting_as(plpy, role, what):
    """Run the body as role, in a security-restricted operation; the current role must be a
    member of role (superusers are).  Call it inside a subtransaction that is rolled back."""
    allowed = plpy.execute("SELECT r.oid, pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER') AS member "
                           "FROM pg_catalog.pg_roles r WHERE r.rolname = " + plpy.quote_literal(role))
    if not allowed.nrows() or not allowed[0]["member"]:
        fail(plpy, INSUFFICIENT_PRIVILEGE, f"ml_track measures {what} as {role}, who recorded it, "
                                           "and you may not act as that role",
             detail="A measurement runs with the rights of the role that recorded the optimization.",
             hint="Measure it as that role (or a member of it), or record the optimization yourself.")
    lib = _server()
    user, context = ctypes.c_uint32(), ctypes.c_int()
    lib.GetUserIdAndSecContext(ctypes.byref(user), ctypes.byref(context))
    lib.SetUserIdAndSecContext(int(allowed[0]["oid"]),
                               context.value | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION)
    try:
        yield
    finally:
        lib.SetUserIdAndSecContext(user.value, context.value)
