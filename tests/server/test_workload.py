"""The workload (README, "Workload"): pg_stat_statements ranked into opportunities, captured into
snapshots with never-negative deltas, and changes verified in production into one feedback row.
The test server preloads pg_stat_statements; each test creates the extension in its database."""
import uuid

import psycopg
import pytest

from tests.server.test_races import Background, wait_until_blocked


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def rows(conn, sql, *args):
    cursor = conn.execute(sql, args or None)
    return [dict(zip([c.name for c in cursor.description], row)) for row in cursor.fetchall()]


@pytest.fixture
def wdb(fresh_db):
    """A fresh database with pg_stat_statements, and an orders table of 200,000 rows."""
    with fresh_db.connect() as conn:
        conn.execute("CREATE EXTENSION pg_stat_statements")
        conn.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer_id int, status text, note text)")
        conn.execute("INSERT INTO orders (customer_id, status, note) "
                     "SELECT g % 2000, 'open', 'n' FROM generate_series(1, 200000) g")
        conn.execute("ANALYZE orders")
        yield conn


def run(conn, sql, times, *args):
    for i in range(times):
        conn.execute(sql, tuple(a(i) if callable(a) else a for a in args) or None)


def capture(conn):
    return rows(conn, "SELECT * FROM ml_capture_workload()")[0]


def snapshot(conn, capture_id, like):
    """The snapshot rows of a capture whose statement's fingerprint is that of like."""
    return rows(conn, """SELECT s.* FROM query_ml.workload_snapshots s
                          WHERE s.capture_id = %s AND s.fingerprint = ml_fingerprint(%s)""", capture_id, like)


BY_CUSTOMER = "SELECT * FROM orders WHERE customer_id = %s"


# Opportunities -------------------------------------------------------------------------------

def learned(conn, query, optimized, improvement, kind="rewrite"):
    """A pattern for query whose expected improvement is improvement: recorded at that estimate,
    with five results of it."""
    opt = one(conn, "SELECT ml_record_optimization(%s, %s, %s, %s)", query, optimized, kind, improvement)
    conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                 "SELECT %s, 100, 100 - %s FROM generate_series(1, 5)", (opt, improvement))
    return opt


def test_opportunities_are_ranked_by_the_time_they_would_save(wdb):
    """A workload whose savings are known: each statement sleeps a known time per call, and its
    pattern's expected improvement is known.  Saved time = total time x expected improvement."""
    for name in ("ta", "tb", "tc", "td"):
        wdb.execute(f"CREATE TABLE {name} (a int)")
        wdb.execute(f"INSERT INTO {name} VALUES (1)")
    # (table, sleep per call in s, calls, expected improvement): saved 0.8 x 30 x 10 = 240 ms,
    # 0.5 x 10 x 40 = 200 ms, 0.2 x 20 x 40 = 160 ms; td has no pattern, and the largest total.
    plan = [("ta", 0.01, 30, 80), ("tb", 0.04, 10, 50), ("tc", 0.04, 20, 20), ("td", 0.05, 20, None)]
    for table, _, _, improvement in plan:
        if improvement is not None:
            learned(wdb, f"SELECT pg_sleep(0.01) FROM {table} WHERE a = 1",
                    f"SELECT pg_sleep(0.01) FROM {table} WHERE a = 1 LIMIT 1", improvement)
    wdb.execute("SELECT * FROM ml_refine()")
    wdb.execute("SELECT pg_stat_statements_reset()")
    for table, seconds, calls, _ in plan:
        run(wdb, f"SELECT pg_sleep(%s) FROM {table} WHERE a = %s", calls, seconds, 1)
    found = rows(wdb, "SELECT * FROM ml_workload_opportunities(row_limit => 5)")
    suggested = [r for r in found if r["pattern_id"] is not None]
    assert [r["query"] for r in suggested] == [f"SELECT pg_sleep($1) FROM {t} WHERE a = $2" for t in ("ta", "tb", "tc")]
    for r, (_, seconds, calls, improvement) in zip(suggested, plan):
        assert r["calls"] == calls and r["note"] is None
        assert r["expected_improvement"] == pytest.approx(improvement, abs=0.5)
        assert r["total_ms"] == pytest.approx(seconds * calls * 1000, rel=0.25)
        assert r["saved_ms"] == pytest.approx(r["total_ms"] * r["expected_improvement"] / 100, rel=0.01)
        assert r["mean_ms"] == pytest.approx(r["total_ms"] / r["calls"], rel=0.01)
    unsuggested = [r for r in found if r["pattern_id"] is None]
    assert unsuggested[0]["query"] == "SELECT pg_sleep($1) FROM td WHERE a = $2"
    assert unsuggested[0]["note"] == "no pattern yet"
    totals = [r["total_ms"] for r in unsuggested]
    assert totals == sorted(totals, reverse=True)
    # min_calls leaves out what was called less.
    assert {r["calls"] for r in rows(wdb, "SELECT * FROM ml_workload_opportunities(min_calls => 25)")} == {30}


def test_a_pattern_without_evidence_is_not_suggested_yet(wdb):
    one(wdb, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 90)",
        "SELECT * FROM orders WHERE customer_id = 7")
    run(wdb, BY_CUSTOMER, 3, lambda i: i)
    found = {r["query"]: r for r in rows(wdb, "SELECT * FROM ml_workload_opportunities()")}
    assert found["SELECT * FROM orders WHERE customer_id = $1"]["note"] == "not suggested yet"


def test_a_repeated_scan_fingerprints_only_new_statements(wdb):
    run(wdb, BY_CUSTOMER, 2, lambda i: i)
    wdb.execute("SELECT * FROM ml_workload_opportunities()")
    cached = rows(wdb, "SELECT queryid, first_seen FROM query_ml.workload_statements ORDER BY queryid")
    assert len(cached) >= 1
    run(wdb, "SELECT count(*) FROM orders WHERE status = %s", 1, "open")
    wdb.execute("SELECT * FROM ml_workload_opportunities()")
    again = rows(wdb, "SELECT queryid, first_seen FROM query_ml.workload_statements ORDER BY queryid")
    # Every statement seen before keeps its row (it was not parsed again); the new ones were added.
    assert [r for r in again if r["queryid"] in {c["queryid"] for c in cached}] == cached
    assert len(again) > len(cached)


def test_opportunities_show_what_the_caller_may_see(fresh_db, wdb):
    server, names, conns = fresh_db.server, [], {}
    try:
        for role in ("a", "b"):
            name = f"wl_{role}_{uuid.uuid4().hex[:8]}"
            names.append(name)
            wdb.execute(f"CREATE ROLE {name} LOGIN IN ROLE query_ml_reader")
            wdb.execute(f"GRANT SELECT ON orders TO {name}")
            conns[role] = psycopg.connect(host=server.host, port=server.port, user=name, dbname=fresh_db.name,
                                          autocommit=True)
        run(conns["a"], BY_CUSTOMER, 2, 1)
        run(conns["b"], "SELECT count(*) FROM orders WHERE status = %s", 2, "x")
        seen = {r["query"] for r in rows(conns["a"], "SELECT * FROM ml_workload_opportunities(100)")}
        assert "SELECT * FROM orders WHERE customer_id = $1" in seen
        assert "SELECT count(*) FROM orders WHERE status = $1" not in seen
        wdb.execute(f"GRANT pg_read_all_stats TO {names[0]}")
        seen = {r["query"] for r in rows(conns["a"], "SELECT * FROM ml_workload_opportunities(100)")}
        assert "SELECT count(*) FROM orders WHERE status = $1" in seen
        # The workload's tables, and what is read from them, are not theirs to read (they hold every
        # role's statements).
        for table in ("workload_statements", "workload_snapshots", "workload_counters", "workload_captures",
                      "production_sides"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conns["a"].execute(f"SELECT * FROM query_ml.{table}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conns["a"].execute("SELECT * FROM ml_production_changes()")
        assert rows(conns["a"], "SELECT * FROM ml_health() WHERE \"check\" = 'pg_stat_statements'")[0]["status"] == "ok"
        # Capturing is an admin's; marking a change is a writer's, for what it recorded.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conns["a"].execute("SELECT * FROM ml_capture_workload()")
        opt = one(wdb, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 50)",
                  "SELECT * FROM orders WHERE customer_id = 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conns["a"].execute("SELECT * FROM ml_mark_applied(%s)", (opt,))
        wdb.execute(f"GRANT query_ml_writer TO {names[1]}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
            conns["b"].execute("SELECT * FROM ml_mark_applied(%s)", (opt,))
        assert "only that role or a query_ml_admin may mark it applied" in str(refused.value)
        own = one(conns["b"], "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (status)', 'index', 50)",
                  "SELECT count(*) FROM orders WHERE status = 'x'")
        assert rows(conns["b"], "SELECT * FROM ml_mark_applied(%s)", own)[0]["status"] == "pending"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):     # the marker's own, as feedback is
            conns["b"].execute("UPDATE query_ml.production_changes SET verified_at = now()")
    finally:
        for conn in conns.values():
            conn.close()
        for name in names:
            wdb.execute(f"DROP OWNED BY {name} CASCADE")
            wdb.execute(f"DROP ROLE {name}")


# Capture ---------------------------------------------------------------------------------------

def test_capture_keeps_deltas_per_queryid(wdb):
    first = capture(wdb)
    run(wdb, BY_CUSTOMER, 7, lambda i: i)
    second = capture(wdb)
    [row] = snapshot(wdb, second["capture_id"], "SELECT * FROM orders WHERE customer_id = 1")
    assert row["calls_delta"] == 7 and row["calls"] >= 7
    assert row["total_exec_ms_delta"] > 0 and row["rows_delta"] == 7 * 100
    assert row["since"] == one(wdb, "SELECT captured_at FROM query_ml.workload_captures WHERE id = %s",
                               first["capture_id"])
    run(wdb, BY_CUSTOMER, 3, lambda i: i)
    third = capture(wdb)
    [row] = snapshot(wdb, third["capture_id"], "SELECT * FROM orders WHERE customer_id = 1")
    assert row["calls_delta"] == 3
    # A statement not called since is not stored again.
    fourth = capture(wdb)
    assert snapshot(wdb, fourth["capture_id"], "SELECT * FROM orders WHERE customer_id = 1") == []


def test_a_reset_counts_from_zero_never_negative(wdb):
    run(wdb, BY_CUSTOMER, 9, lambda i: i)
    capture(wdb)
    wdb.execute("SELECT pg_stat_statements_reset()")
    run(wdb, BY_CUSTOMER, 2, lambda i: i)
    after = capture(wdb)
    [row] = snapshot(wdb, after["capture_id"], "SELECT * FROM orders WHERE customer_id = 1")
    assert row["calls_delta"] == 2 and row["calls"] == 2
    assert row["since"] == one(wdb, "SELECT stats_reset FROM query_ml.workload_captures WHERE id = %s",
                               after["capture_id"])
    assert one(wdb, "SELECT count(*) FROM query_ml.workload_snapshots WHERE calls_delta < 0 OR total_exec_ms_delta < 0 "
                    "OR rows_delta < 0 OR shared_blks_hit_delta < 0 OR shared_blks_read_delta < 0") == 0


def test_a_deallocated_entry_counts_from_zero_when_it_comes_back(wdb):
    run(wdb, BY_CUSTOMER, 9, lambda i: i)
    capture(wdb)
    queryid = one(wdb, "SELECT queryid FROM pg_stat_statements WHERE query = 'SELECT * FROM orders WHERE customer_id = $1'")
    # One entry removed, as pg_stat_statements.max evicts it: the others keep their counters.
    wdb.execute("SELECT pg_stat_statements_reset(0, 0, %s)", (queryid,))
    gone = capture(wdb)
    assert snapshot(wdb, gone["capture_id"], "SELECT * FROM orders WHERE customer_id = 1") == []
    assert gone["counted_from_zero"] == 0
    run(wdb, BY_CUSTOMER, 4, lambda i: i)
    back = capture(wdb)
    [row] = snapshot(wdb, back["capture_id"], "SELECT * FROM orders WHERE customer_id = 1")
    assert row["calls_delta"] == 4 and back["new_statements"] >= 1


def test_a_reset_of_one_entry_between_captures_counts_from_zero(wdb):
    run(wdb, BY_CUSTOMER, 9, lambda i: i)
    capture(wdb)
    queryid = one(wdb, "SELECT queryid FROM pg_stat_statements WHERE query = 'SELECT * FROM orders WHERE customer_id = $1'")
    wdb.execute("SELECT pg_stat_statements_reset(0, 0, %s)", (queryid,))
    run(wdb, BY_CUSTOMER, 4, lambda i: i)         # lower than the 9 counted before: it started again
    back = capture(wdb)
    [row] = snapshot(wdb, back["capture_id"], "SELECT * FROM orders WHERE customer_id = 1")
    # Counted from zero: as an entry that started again, or as a new one when the whole suite's
    # statements made pg_stat_statements evict it meanwhile.
    assert row["calls_delta"] == 4 and back["counted_from_zero"] + back["new_statements"] >= 1


def test_server_restarts(own_cluster):
    """A clean restart keeps pg_stat_statements' counters, so deltas carry on; after a crash they
    carry on, or start again from zero."""
    own_cluster.settings["shared_preload_libraries"] = "'pg_stat_statements'"
    with open(own_cluster.data / "postgresql.conf", "a") as conf:
        conf.write("shared_preload_libraries = 'pg_stat_statements'\n")
    own_cluster.restart("fast")
    name = own_cluster.create_database("wl_restart")
    with own_cluster.connect(name) as conn:
        conn.execute("CREATE EXTENSION pg_stat_statements")
        conn.execute("CREATE TABLE orders (customer_id int)")
        conn.execute("INSERT INTO orders SELECT g % 10 FROM generate_series(1, 1000) g")
        run(conn, BY_CUSTOMER, 5, lambda i: i)
        capture(conn)
        run(conn, BY_CUSTOMER, 3, lambda i: i)
    own_cluster.restart("fast")
    with own_cluster.connect(name) as conn:
        kept = capture(conn)
        [row] = snapshot(conn, kept["capture_id"], "SELECT * FROM orders WHERE customer_id = 1")
        assert row["calls_delta"] == 3 and kept["counted_from_zero"] == 0
        run(conn, BY_CUSTOMER, 2, lambda i: i)
    own_cluster.restart("immediate")
    with own_cluster.connect(name) as conn:
        run(conn, BY_CUSTOMER, 1, lambda i: i)
        lost = capture(conn)
        [row] = snapshot(conn, lost["capture_id"], "SELECT * FROM orders WHERE customer_id = 1")
        # pg_stat_statements keeps its counters through a crash when it last saved them (3 calls
        # since the last capture), or starts them again (1): either way nothing is negative.
        assert (row["calls"], row["calls_delta"]) in {(11, 3), (1, 1)}
        assert one(conn, "SELECT count(*) FROM query_ml.workload_snapshots WHERE calls_delta < 0") == 0


def test_captures_older_than_the_retention_go(wdb):
    capture(wdb)
    wdb.execute("UPDATE query_ml.workload_captures SET captured_at = now() - interval '31 days'")
    capture(wdb)
    assert one(wdb, "SELECT count(*) FROM query_ml.workload_captures") == 1
    wdb.execute("SELECT ml_set_setting('workload_retention_days', '40')")
    wdb.execute("UPDATE query_ml.workload_captures SET captured_at = now() - interval '31 days'")
    capture(wdb)
    assert one(wdb, "SELECT count(*) FROM query_ml.workload_captures") == 2


def test_two_captures_at_once_take_turns(fresh_db, wdb):
    run(wdb, BY_CUSTOMER, 5, lambda i: i)
    capture(wdb)
    run(wdb, BY_CUSTOMER, 5, lambda i: i)
    with fresh_db.connect() as a, fresh_db.connect() as b, fresh_db.connect() as observer:
        a.execute("BEGIN")
        a.execute("SELECT * FROM ml_capture_workload()")
        second = Background(b, "SELECT capture_id FROM ml_capture_workload()")
        wait_until_blocked(observer, second.pid, what="Lock")
        a.execute("COMMIT")
        second.join()
        deltas = [r["calls_delta"] for r in rows(observer, """
            SELECT s.calls_delta FROM query_ml.workload_snapshots s
             WHERE s.fingerprint = ml_fingerprint('SELECT * FROM orders WHERE customer_id = 1') ORDER BY s.capture_id""")]
        assert deltas == [5, 5]           # the second capture counted nothing twice


# Verification in production --------------------------------------------------------------------

def test_an_index_is_verified_in_production(wdb):
    """A real table, a real workload before and after an index built for real: one feedback row,
    measured by pg_stat_statements, in the right direction; captures and refinements after it add
    none."""
    opt = one(wdb, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 80)",
              "SELECT * FROM orders WHERE customer_id = 42")
    wdb.execute("SELECT ml_set_setting('verify_min_calls', '50')")
    capture(wdb)
    run(wdb, BY_CUSTOMER, 60, lambda i: i)
    capture(wdb)
    assert rows(wdb, "SELECT * FROM ml_mark_applied(%s)", opt)[0]["status"] == "pending"
    wdb.execute("CREATE INDEX ON orders (customer_id)")
    run(wdb, BY_CUSTOMER, 5, lambda i: i)
    assert capture(wdb)["verified"] == 0            # its interval spans the change: it counts for neither side
    [change] = rows(wdb, "SELECT * FROM ml_production_changes()")
    assert (change["status"], change["calls_before"], change["calls_after"]) == ("pending", 60, None)
    run(wdb, BY_CUSTOMER, 60, lambda i: i)
    assert capture(wdb)["verified"] == 1
    [row] = rows(wdb, "SELECT * FROM query_ml.feedback")
    assert row["measured_by"] == "pg_stat_statements" and row["optimization_id"] == opt
    assert row["actual_improvement"] > 50 and row["before_execution_ms"] > row["after_execution_ms"]
    assert row["before_rows"] == 100 and row["after_rows"] == 100
    assert row["applied_at"] == one(wdb, "SELECT applied_at FROM query_ml.production_changes")
    [change] = rows(wdb, "SELECT * FROM ml_production_changes()")
    assert (change["status"], change["calls_before"], change["calls_after"], change["feedback_id"]) == \
        ("verified", 60, 60, row["id"])
    run(wdb, BY_CUSTOMER, 60, lambda i: i)
    capture(wdb)
    wdb.execute("SELECT * FROM ml_refine()")
    assert one(wdb, "SELECT count(*) FROM query_ml.feedback") == 1
    assert wdb.execute("SELECT * FROM ml_check_stats()").fetchall() == []
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        wdb.execute("SELECT * FROM ml_mark_applied(%s)", (opt,))


def test_a_production_change_that_regressed_is_flagged(wdb):
    """Feedback from production feeds learning like any other: an index that made the query
    slower (here: a "change" that adds work) is flagged by the status rule."""
    wdb.execute("SELECT ml_set_setting('verify_min_calls', '20')")
    opt = one(wdb, "SELECT ml_record_optimization(%s, 'SELECT count(*) FROM orders WHERE status = ''open'' LIMIT 1', "
                   "'rewrite', 40)", "SELECT count(*) FROM orders WHERE status = 'open'")
    capture(wdb)
    run(wdb, "SELECT count(*) FROM orders WHERE status = %s", 25, "closed")
    capture(wdb)
    wdb.execute("SELECT * FROM ml_mark_applied(%s)", (opt,))
    capture(wdb)
    wdb.execute("INSERT INTO orders (customer_id, status, note) SELECT g, 'open', 'n' FROM generate_series(1, 400000) g")
    run(wdb, "SELECT count(*) FROM orders WHERE status = %s", 25, "closed")
    capture(wdb)
    wdb.execute("SELECT * FROM ml_refine()")
    assert one(wdb, "SELECT actual_improvement FROM query_ml.feedback") < -50
    assert one(wdb, "SELECT status FROM query_ml.patterns") == "flagged"


def around_a_change(wdb, marker, opt, calls):
    """Captures around calls of BY_CUSTOMER, the marker's mark of opt, and as many calls after
    (the capture across the mark counts for neither side); the last capture is the caller's."""
    capture(wdb)
    run(wdb, BY_CUSTOMER, calls, lambda i: i)
    capture(wdb)
    marker.execute("SELECT * FROM ml_mark_applied(%s)", (opt,))
    capture(wdb)
    run(wdb, BY_CUSTOMER, calls, lambda i: i)


def test_refine_verifies_too(wdb):
    wdb.execute("SELECT ml_set_setting('verify_min_calls', '3')")
    opt = one(wdb, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 80)",
              "SELECT * FROM orders WHERE customer_id = 42")
    around_a_change(wdb, wdb, opt, 3)
    # A capture writes its snapshot; verification would run in it, so move it to ml_refine by
    # raising the bar until the capture is done.
    wdb.execute("SELECT ml_set_setting('verify_min_calls', '4')")
    assert capture(wdb)["verified"] == 0
    wdb.execute("SELECT ml_set_setting('verify_min_calls', '3')")
    wdb.execute("SELECT * FROM ml_refine()")
    assert one(wdb, "SELECT count(*) FROM query_ml.feedback WHERE measured_by = 'pg_stat_statements'") == 1
    assert one(wdb, "SELECT applications FROM query_ml.pattern_totals") == 1


@pytest.mark.parametrize("call, state", [
    ("SELECT * FROM ml_mark_applied(NULL)", "22004"),
    ("SELECT * FROM ml_mark_applied(99999)", "P0002"),
    ("SELECT * FROM ml_mark_applied({opt}, now() + interval '2 days')", "22023"),
    ("SELECT * FROM ml_mark_applied({opt}, '1999-01-01')", "22023"),
    ("SELECT * FROM ml_mark_applied({opt}, NULL)", "22004"),
    ("SELECT * FROM ml_workload_opportunities(0)", "22023"),
    ("SELECT * FROM ml_workload_opportunities(min_calls => 0)", "22023"),
    ("SELECT * FROM ml_workload_opportunities(min_calls => NULL)", "22004"),
    ("SELECT * FROM ml_workload_opportunities(source => 'nowhere')", "42704"),
    ("SELECT ml_set_setting('verify_min_calls', '0')", "22023"),
    ("SELECT ml_set_setting('verify_window_hours', '-1')", "22023"),
    ("SELECT ml_set_setting('workload_retention_days', '0')", "22023"),
])
def test_bad_input_gets_a_clear_error(wdb, call, state):
    opt = one(wdb, "SELECT ml_record_optimization('SELECT 1 FROM orders', 'SELECT 1 FROM orders LIMIT 1', 'rewrite', 5)")
    with pytest.raises(psycopg.Error) as error:
        wdb.execute(call.format(opt=opt))
    assert error.value.sqlstate == state
    message = error.value.diag.message_primary
    assert message.startswith("query_ml: ") and message[10].islower()
    assert "None" not in message and "Error" not in message


def verified(wdb):
    """An optimization verified in production by its writer's mark; (writer connection, role,
    optimization, feedback id)."""
    name = f"wl_w_{uuid.uuid4().hex[:8]}"
    wdb.execute(f"CREATE ROLE {name} LOGIN IN ROLE query_ml_writer")
    info = wdb.info
    writer = psycopg.connect(host=info.host, port=info.port, user=name, dbname=info.dbname, autocommit=True)
    wdb.execute("SELECT ml_set_setting('verify_min_calls', '3')")
    opt = one(writer, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 80)",
              "SELECT * FROM orders WHERE customer_id = 42")
    around_a_change(wdb, writer, opt, 3)
    assert capture(wdb)["verified"] == 1
    return writer, name, opt, one(wdb, "SELECT id FROM query_ml.feedback WHERE measured_by = 'pg_stat_statements'")


def test_a_change_is_verified_once_even_when_its_mark_is_deleted(wdb):
    """Red team: a writer deleted its mark and marked again at another time, and each round
    stored another verification from the same captured calls."""
    writer, name, opt, _ = verified(wdb)
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            writer.execute("DELETE FROM query_ml.production_changes")
        wdb.execute("DELETE FROM query_ml.production_changes")          # an admin may; marking again is refused
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
            writer.execute("SELECT * FROM ml_mark_applied(%s, now() - interval '1 minute')", (opt,))
        assert one(wdb, "SELECT count(*) FROM query_ml.feedback WHERE measured_by = 'pg_stat_statements'") == 1
    finally:
        writer.close()
        wdb.execute(f"DROP OWNED BY {name} CASCADE")
        wdb.execute(f"DROP ROLE {name}")


def test_a_writer_cannot_delete_a_verification(wdb):
    """Red team: the marker deleted the verification row, erasing a production result before
    learning used it, and ml_production_changes kept pointing at it."""
    writer, name, _, feedback = verified(wdb)
    try:
        for statement in ("DELETE FROM query_ml.feedback", f"SELECT ml_delete_feedback({feedback})"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
                writer.execute(statement)
            assert "only a query_ml_admin may delete it" in str(refused.value)
        assert one(wdb, "SELECT count(*) FROM query_ml.feedback") == 1
    finally:
        writer.close()
        wdb.execute(f"DROP OWNED BY {name} CASCADE")
        wdb.execute(f"DROP ROLE {name}")


def test_a_mark_of_a_missing_optimization_names_it(wdb):
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        wdb.execute("INSERT INTO query_ml.production_changes (optimization_id, applied_at) VALUES (99999, now())")


def test_two_marks_of_one_pattern_within_the_window_are_refused(wdb):
    """Red team: the same change recorded as several optimizations and marked at one time was
    verified once for each, from the same captured calls."""
    first, second = (one(wdb, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', %s)",
                         "SELECT * FROM orders WHERE customer_id = 42", estimate) for estimate in (50, 60))
    wdb.execute("SELECT * FROM ml_mark_applied(%s)", (first,))
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        wdb.execute("SELECT * FROM ml_mark_applied(%s, now() - interval '1 hour')", (second,))
    # Outside both windows it may be marked: 2 x verify_window_hours away.
    wdb.execute("SELECT * FROM ml_mark_applied(%s, now() - interval '337 hours')", (second,))
    # Nor two patterns of one fingerprint (red team): the calls are the fingerprint's.
    third = one(wdb, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id, id)', 'index', 50)",
                "SELECT * FROM orders WHERE customer_id = 42")
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        wdb.execute("SELECT * FROM ml_mark_applied(%s)", (third,))


def test_a_writer_marks_once(wdb):
    """Red team: a writer moved a pending mark until the two sides looked good."""
    name = f"wl_m_{uuid.uuid4().hex[:8]}"
    wdb.execute(f"CREATE ROLE {name} LOGIN IN ROLE query_ml_writer")
    info = wdb.info
    try:
        with psycopg.connect(host=info.host, port=info.port, user=name, dbname=info.dbname, autocommit=True) as writer:
            opt = one(writer, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 50)",
                      "SELECT * FROM orders WHERE customer_id = 42")
            writer.execute("SELECT * FROM ml_mark_applied(%s)", (opt,))
            with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
                writer.execute("SELECT * FROM ml_mark_applied(%s, now() - interval '1 day')", (opt,))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                writer.execute("UPDATE query_ml.production_changes SET applied_at = now() - interval '1 day'")
        wdb.execute("SELECT * FROM ml_mark_applied(%s, now() - interval '1 day')", (opt,))      # an admin may
    finally:
        wdb.execute(f"DROP OWNED BY {name} CASCADE")
        wdb.execute(f"DROP ROLE {name}")


@pytest.mark.parametrize("first", ["capture", "refine"])
def test_a_capture_and_a_refinement_verifying_at_once_store_one_row(fresh_db, wdb, first):
    """README: ml_capture_workload() or ml_refine() writes the row, whichever runs first; the
    other skips the change it holds (FOR UPDATE SKIP LOCKED) and finds it verified afterwards."""
    wdb.execute("SELECT ml_set_setting('verify_min_calls', '3')")
    opt = one(wdb, "SELECT ml_record_optimization(%s, 'CREATE INDEX ON orders (customer_id)', 'index', 80)",
              "SELECT * FROM orders WHERE customer_id = 42")
    around_a_change(wdb, wdb, opt, 3)
    calls = {"capture": "SELECT verified FROM ml_capture_workload()", "refine": "SELECT status FROM ml_refine()"}
    second = "refine" if first == "capture" else "capture"
    with fresh_db.connect() as a, fresh_db.connect() as b, fresh_db.connect() as observer:
        a.execute("BEGIN")
        a.execute(calls[first]).fetchall()              # verifies, and holds the change and its row
        other = Background(b, calls[second])
        wait_until_blocked(observer, other.pid, done=other)   # it may wait on a bucket, never on the change
        a.execute("COMMIT")
        other.join()
        assert one(observer, "SELECT count(*) FROM query_ml.feedback WHERE measured_by = 'pg_stat_statements'") == 1
        assert one(observer, "SELECT feedback_id IS NOT NULL FROM query_ml.production_changes")
        assert observer.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_the_most_called_spelling_of_a_queryid_is_parsed(fresh_db, wdb):
    """README: users may spell one queryid differently (aliases, which pg_stat_statements ignores
    and the fingerprint does not): the most called spelling is parsed, so another user cannot
    choose the fingerprint of a busy statement by spelling it first."""
    name = f"wl_s_{uuid.uuid4().hex[:8]}"
    wdb.execute(f"CREATE ROLE {name} LOGIN IN ROLE query_ml_reader")
    wdb.execute(f"GRANT SELECT ON orders TO {name}")
    info = wdb.info
    try:
        with psycopg.connect(host=info.host, port=info.port, user=name, dbname=info.dbname, autocommit=True) as other:
            run(other, "SELECT aa.status FROM orders aa WHERE aa.customer_id = %s", 1, 1)     # sorts first
            run(wdb, "SELECT status FROM orders WHERE customer_id = %s", 5, lambda i: i)
            queryids = {r[0] for r in wdb.execute(
                "SELECT queryid FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
                "WHERE datname = current_database()) AND query = ANY (%s)",
                (["SELECT aa.status FROM orders aa WHERE aa.customer_id = $1",
                  "SELECT status FROM orders WHERE customer_id = $1"],)).fetchall()}
            assert len(queryids) == 1, "both spellings share one queryid"
            assert one(wdb, "SELECT ml_fingerprint('SELECT aa.status FROM orders aa WHERE aa.customer_id = 1')") != \
                one(wdb, "SELECT ml_fingerprint('SELECT status FROM orders WHERE customer_id = 1')")
            # The other user scans first; the cache still holds the busier spelling's fingerprint.
            other.execute("SELECT * FROM ml_workload_opportunities()").fetchall()
        assert one(wdb, "SELECT fingerprint FROM query_ml.workload_statements WHERE queryid = %s", queryids.pop()) \
            == one(wdb, "SELECT ml_fingerprint('SELECT status FROM orders WHERE customer_id = 1')")
    finally:
        wdb.execute(f"DROP OWNED BY {name} CASCADE")
        wdb.execute(f"DROP ROLE {name}")


# No literal kept -------------------------------------------------------------------------------

def test_no_literal_is_kept_or_shown(wdb):
    """pg_stat_statements keeps a utility statement's text as it came, literals and all."""
    secret = "s3cr3t-" + uuid.uuid4().hex[:8]
    wdb.execute(f"CREATE TABLE literal_keeper (a text DEFAULT '{secret}')")
    wdb.execute(f"COMMENT ON TABLE literal_keeper IS '{secret}'")
    wdb.execute(f"SET application_name = '{secret}'")
    wdb.execute("RESET application_name")
    assert one(wdb, "SELECT count(*) FROM pg_stat_statements WHERE query LIKE %s", f"%{secret}%") >= 1
    capture(wdb)
    shown = rows(wdb, "SELECT * FROM ml_workload_opportunities(1000)")
    assert secret not in repr(shown)
    for table in ("workload_statements", "workload_snapshots", "workload_captures", "workload_counters"):
        assert one(wdb, f"SELECT count(*) FROM query_ml.{table} t WHERE t::text LIKE %s", f"%{secret}%") == 0


def test_no_fingerprint_that_depends_on_a_literal_is_kept(wdb):
    """Red team: pglast's fingerprint of some utility statements depends on their literal (a
    role's password, a comment, a sequence's start), and so does their queryid, so either, stored,
    let an admin test guesses of a password that pg_stat_statements hid."""
    role, secret = f"wl_p_{uuid.uuid4().hex[:8]}", "pw-" + uuid.uuid4().hex[:8]
    try:
        wdb.execute(f"CREATE ROLE {role}")
        statements = [f"ALTER ROLE {role} PASSWORD '{secret}'", f"COMMENT ON TABLE orders IS '{secret}'",
                      f"CREATE SEQUENCE wl_seq START 987654",
                      f"SELECT * INTO TEMP wl_into FROM orders WHERE note = '{secret}'"]
        for statement in statements:
            wdb.execute(statement)
        capture(wdb)
        wdb.execute("SELECT * FROM ml_workload_opportunities(1000)")
        guesses = [one(wdb, "SELECT ml_fingerprint(%s)", statement) for statement in statements]
        for table in ("workload_statements", "workload_snapshots"):
            assert one(wdb, f"SELECT count(*) FROM query_ml.{table} WHERE fingerprint = ANY (%s)", guesses) == 0
        # Nor their queryids, which pg_stat_statements takes from a utility statement's text
        # (hashtextextended(text, 0)), values included.
        queryids = [one(wdb, "SELECT hashtextextended(%s, 0)", statement) for statement in statements]
        for table in ("workload_statements", "workload_snapshots", "workload_counters"):
            assert one(wdb, f"SELECT count(*) FROM query_ml.{table} WHERE queryid = ANY (%s)", queryids) == 0
        # A statement whose fingerprint holds no value keeps it.
        run(wdb, BY_CUSTOMER, 1, 1)
        capture(wdb)
        assert one(wdb, "SELECT count(*) FROM query_ml.workload_statements WHERE fingerprint = ml_fingerprint(%s)",
                   "SELECT * FROM orders WHERE customer_id = 1") == 1
    finally:
        wdb.execute(f"DROP ROLE IF EXISTS {role}")


# Without pg_stat_statements --------------------------------------------------------------------

@pytest.mark.parametrize("call", ["SELECT * FROM ml_workload_opportunities()", "SELECT * FROM ml_capture_workload()"])
def test_without_the_extension_the_error_says_what_to_do(db, call):
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as error:
        db.execute(call)
    assert error.value.diag.message_primary == "query_ml: pg_stat_statements is not installed in this database"
    assert error.value.diag.message_hint == "Run CREATE EXTENSION pg_stat_statements; in this database."
    health = rows(db, "SELECT * FROM ml_health() WHERE \"check\" = 'pg_stat_statements'")[0]
    assert health["status"] == "warning" and "CREATE EXTENSION pg_stat_statements" in health["detail"]


def test_without_preloading_the_error_says_what_to_do(own_cluster):
    name = own_cluster.create_database("wl_nopreload")
    with own_cluster.connect(name) as conn:
        conn.execute("CREATE EXTENSION pg_stat_statements")
        for call in ("SELECT * FROM ml_workload_opportunities()", "SELECT * FROM ml_capture_workload()"):
            with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as error:
                conn.execute(call)
            assert error.value.diag.message_primary == "query_ml: pg_stat_statements is not loaded"
            assert error.value.diag.message_hint == ("Add pg_stat_statements to shared_preload_libraries in "
                                                     "postgresql.conf and restart the server.")
        conn.execute("DROP EXTENSION pg_stat_statements")
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as error:
            conn.execute("SELECT * FROM ml_capture_workload()")
        assert error.value.diag.message_hint.endswith(
            "restart the server, then run CREATE EXTENSION pg_stat_statements; in this database.")
        health = rows(conn, "SELECT * FROM ml_health() WHERE \"check\" = 'pg_stat_statements'")[0]
        assert health["status"] == "warning" and "shared_preload_libraries" in health["detail"]
        # Verification and refinement need no pg_stat_statements.
        assert rows(conn, "SELECT status FROM ml_refine()")[0]["status"] == "succeeded"
