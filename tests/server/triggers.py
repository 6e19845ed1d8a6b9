"""Writing rows past query_ml's triggers, for tests that plant what an old release or a fault left.
The triggers fire ALWAYS (also under session_replication_role = replica), so only disabling them
gets past them; query_ml.fleet_set_triggers() sets them as they were."""
import contextlib


@contextlib.contextmanager
def past_the_triggers(conn, table):
    conn.execute(f"ALTER TABLE query_ml.{table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        conn.execute("SELECT query_ml.fleet_set_triggers()")
