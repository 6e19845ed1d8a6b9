"""ml_track: measuring inside the database, read-only, rolled back, time-limited, with the caller's rights.

No assertion here depends on how fast the machine is: what is measured is checked through rows
and buffers, never through times, and a query that must outlast a time limit sleeps far longer
than the limit (the cancellation ends it, so the test does not wait for the sleep)."""
import uuid

import psycopg
import pytest

SLOW = "SELECT * FROM events WHERE account_id = 4242 ORDER BY happened_at DESC LIMIT 20"


@pytest.fixture
def shop(db):
    db.execute("""CREATE TABLE events (id bigint PRIMARY KEY, account_id integer NOT NULL, kind text NOT NULL,
                                       happened_at timestamptz NOT NULL)""")
    db.execute("""INSERT INTO events SELECT g, g % 5000, (ARRAY['login', 'buy', 'refund'])[1 + g % 3],
                         timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 200000) g""")
    db.execute("ANALYZE events")
    return db


def record(conn, original, optimized, kind, estimate=50):
    return conn.execute("SELECT ml_record_optimization(%s, %s, %s, %s)", (original, optimized, kind, estimate)).fetchone()[0]


def leftovers(conn):
    return (conn.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'events'").fetchone()[0],
            conn.execute("SELECT count(*) FROM events").fetchone()[0],
            conn.execute("SELECT count(*) FROM query_ml.feedback").fetchone()[0])


def succeeds(conn, improvement):
    """Whether a measured improvement counts as a success under the current setting."""
    threshold = conn.execute("SELECT value::numeric FROM query_ml.settings WHERE name = 'success_min_improvement'")
    return improvement >= threshold.fetchone()[0]


def track(conn, opt, **options):
    extra = "".join(f", {key} => %s" for key in options)
    cur = conn.execute(f"SELECT * FROM ml_track(%s{extra})", (opt, *options.values()))
    return dict(zip([c.name for c in cur.description], cur.fetchone()))


def test_an_index_measured_and_gone(shop):
    opt = record(shop, SLOW, "CREATE INDEX ON events (account_id, happened_at)", "index", 80)
    row = track(shop, opt, runs=3, sql=SLOW.replace("4242", "17"))
    assert row["measured_by"] == "ml_track" and row["runs"] == 3
    assert row["before_rows"] == row["after_rows"] == 20
    # The index was there for the second measurement: a few pages read instead of the whole table.
    assert row["after_shared_hit"] + row["after_shared_read"] < row["before_shared_hit"] + row["before_shared_read"]
    assert row["succeeded"] == succeeds(shop, row["actual_improvement"])
    assert leftovers(shop) == (1, 200000, 1)       # the primary key only; the table untouched; one feedback row
    assert shop.execute("SELECT applications FROM query_ml.pattern_totals WHERE applications > 0").fetchone()[0] == 1


def test_a_rewrite_measured(shop):
    shop.execute("CREATE INDEX events_kind ON events (kind)")
    opt = record(shop, "SELECT count(*) FROM events WHERE lower(kind) = 'refund'",
                 "SELECT count(*) FROM events WHERE kind = 'refund'", "rewrite", 50)
    row = track(shop, opt, runs=3, sql="SELECT count(*) FROM events WHERE lower(kind) = 'buy'")
    assert row["measured_by"] == "ml_track" and row["runs"] == 3
    assert row["before_rows"] == row["after_rows"] == 1
    assert row["succeeded"] == succeeds(shop, row["actual_improvement"])
    assert leftovers(shop) == (2, 200000, 1)


def test_a_setting_applies_only_inside(shop):
    opt = record(shop, "SELECT kind, count(*) FROM events GROUP BY kind", "SET work_mem = '64MB'", "setting", 5)
    before = shop.execute("SHOW work_mem").fetchone()[0]
    row = track(shop, opt, runs=2)        # no literals: the stored query runs as it is
    assert row["before_rows"] == row["after_rows"] == 3
    assert shop.execute("SHOW work_mem").fetchone()[0] == before


@pytest.mark.parametrize("original", [
    "DELETE FROM events WHERE id = 1",
    "WITH gone AS (DELETE FROM events WHERE id = 1 RETURNING *) SELECT * FROM gone",
    "SELECT * FROM events WHERE id = 1 FOR UPDATE",
    "SELECT * INTO copied FROM events WHERE id = 1",
])
def test_writes_are_refused_and_nothing_is_stored(shop, original):
    opt = record(shop, original, original, "rewrite")
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction) as info:
        track(shop, opt, sql=original)
    assert "read-only" in info.value.diag.message_primary
    assert leftovers(shop) == (1, 200000, 0)


def test_a_function_that_writes_is_stopped_by_the_read_only_transaction(shop):
    shop.execute("CREATE SEQUENCE s")
    opt = record(shop, "SELECT nextval('s') FROM events WHERE id = 1", "SELECT nextval('s') FROM events WHERE id = 1 LIMIT 1", "rewrite")
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        track(shop, opt, sql="SELECT nextval('s') FROM events WHERE id = 1")
    assert shop.execute("SELECT last_value, is_called FROM s").fetchone() == (1, False)
    assert leftovers(shop)[2] == 0


def test_the_time_limit(shop):
    # A query of 60 s against a limit of 0.2 s: cancelled at the limit on any machine.
    opt = record(shop, "SELECT pg_sleep(5)", "SELECT pg_sleep(5)", "rewrite")
    with pytest.raises(psycopg.errors.QueryCanceled) as info:
        track(shop, opt, sql="SELECT pg_sleep(60)", timeout_ms=200)
    assert "after 200 ms" in info.value.diag.message_primary and info.value.diag.message_hint
    assert leftovers(shop)[2] == 0
    shop.execute("SELECT ml_set_setting('track_timeout_ms', '150')")
    with pytest.raises(psycopg.errors.QueryCanceled) as info:
        track(shop, opt, sql="SELECT pg_sleep(60)")
    assert "after 150 ms" in info.value.diag.message_primary


def test_the_callers_own_statement_timeout_survives(shop):
    """ml_track arms the server's statement timer for each measured query, then puts the caller's back:
    what follows it in the same statement is still cancelled at the caller's statement_timeout."""
    opt = record(shop, "SELECT * FROM events WHERE id = 1", "SELECT * FROM events WHERE id = 1 LIMIT 1", "rewrite", 1)
    # ml_track of a primary-key lookup takes about 15 ms here, far below the 1 s; the sleep of
    # 60 s, which starts once ml_track has returned its row, certainly outlasts it.
    shop.execute("SET statement_timeout = '1s'")
    with pytest.raises(psycopg.errors.QueryCanceled) as info:
        shop.execute("SELECT pg_sleep(60) FROM ml_track(%s, runs => 1, sql => %s)",
                     (opt, "SELECT * FROM events WHERE id = 7"))
    assert info.value.diag.message_primary == "canceling statement due to statement timeout"
    assert shop.execute("SHOW statement_timeout").fetchone()[0] == "1s"
    shop.execute("RESET statement_timeout")


def test_the_recorders_privileges(shop):
    tracker = f"tracker_{uuid.uuid4().hex[:10]}"   # may use query_ml, may not read events
    shop.execute(f"CREATE ROLE {tracker} IN ROLE query_ml_writer")
    shop.execute(f"SET ROLE {tracker}")
    try:
        opt = record(shop, SLOW, "CREATE INDEX ON events (account_id, happened_at)", "index")
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
            track(shop, opt, sql=SLOW)
    finally:
        shop.execute("RESET ROLE")
        shop.execute(f"DROP ROLE {tracker}")
    assert info.value.diag.message_primary == \
        "query_ml: you may not run the original query: permission denied for table events"
    assert leftovers(shop)[2] == 0


def test_values_are_needed_and_must_fit(shop):
    opt = record(shop, SLOW, "CREATE INDEX ON events (account_id)", "index")
    with pytest.raises(psycopg.errors.InvalidParameterValue) as info:
        track(shop, opt)
    assert "sql =>" in info.value.diag.message_hint
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        track(shop, opt, sql="SELECT * FROM events WHERE id = 1")
    other = record(shop, "SELECT 1", "archived it", "other")
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        track(shop, other)
    with pytest.raises(psycopg.errors.NoDataFound):
        track(shop, 424242)
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        track(shop, opt, sql=SLOW, runs=0)


def test_errors_do_not_repeat_the_querys_literals(shop):
    opt = record(shop, "SELECT * FROM events WHERE id = 'x1'::int", "SELECT * FROM events WHERE id = 'x1'::int LIMIT 1", "rewrite")
    with pytest.raises(psycopg.errors.InvalidTextRepresentation) as info:
        track(shop, opt, sql="SELECT * FROM events WHERE id = 'token-8f3a9'::int")
    assert "token-8f3a9" not in info.value.diag.message_primary
    assert info.value.diag.message_primary.startswith("query_ml: the original query failed while measured")


def test_several_measurements_in_one_statement(shop):
    """Each stored measurement leaves query_ml's own statistics locks in the transaction; the next
    ml_track of the same statement must not take them for the caller's advisory locks."""
    ids = [record(shop, SLOW, f"{SLOW} OFFSET {n}", "rewrite") for n in (1, 2)]
    rows = shop.execute("SELECT t.feedback_id FROM unnest(%s::bigint[]) AS o (id), "
                        "LATERAL ml_track(o.id, runs => 1, sql => %s) t", (ids, SLOW)).fetchall()
    assert len(rows) == 2
