"""What a full ml_refine() would make of a pattern, for tests that an incremental run agrees."""


def as_a_full_run_has_it(conn, shown, args):
    """The row `shown` reads after a full run, rolled back."""
    with conn.transaction(force_rollback=True):
        conn.execute("SELECT ml_refine(full => true)").fetchall()
        return conn.execute(shown, args).fetchone()
