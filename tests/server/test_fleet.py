"""A fleet on three real clusters of this machine: a hub and two members, each with wal_level =
logical and query_ml, replicating over Unix sockets (README, "Fleet").  Replication is waited for
by polling the state it must reach, with a generous timeout, never by sleeping a fixed time."""
import os
import socket
import tempfile
import time

import psycopg
import pytest

from tests.cluster import Cluster

pytestmark = pytest.mark.slow

SETTINGS = {"wal_level": "logical", "max_wal_senders": "10", "max_replication_slots": "10",
            "max_logical_replication_workers": "6", "max_worker_processes": "16", "max_connections": "30",
            "fsync": "off", "wal_retrieve_retry_interval": "'500ms'", "log_min_messages": "warning"}
DB = "app"
ROLE = "query_ml_fleet"
QUERY = "SELECT * FROM orders WHERE customer_id = {} AND status = 'zqxliteral'"
INDEX = "CREATE INDEX ON orders (customer_id)"


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def wait_for(conn, sql, expected, *args, timeout=90):
    """Polls sql until it returns expected: replication reaches a state, whatever the machine's speed."""
    deadline = time.monotonic() + timeout
    while True:
        got = one(conn, sql, *args)
        if got == expected:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s, {sql!r} gives {got!r}, not {expected!r}")
        time.sleep(0.1)


class Node:
    def __init__(self, name):
        self.name = name
        self.cluster = Cluster(SETTINGS, prefix=f"qml-fleet-{name}-")

    def __enter__(self):
        self.cluster.__enter__()
        with self.cluster.connect() as conn:
            conn.execute(f"CREATE DATABASE {DB}")
        with self.connect() as conn:
            conn.execute("CREATE EXTENSION query_ml CASCADE")
        return self

    def __exit__(self, *exc):
        self.cluster.__exit__(*exc)

    def connect(self):
        return self.cluster.connect(DB)

    @property
    def conninfo(self):
        return f"host={self.cluster.dir} port=5432 dbname={DB} user={ROLE}"


@pytest.fixture(scope="module")
def fleet():
    with Node("hub") as hub, Node("a") as a, Node("b") as b:
        with hub.connect() as h, a.connect() as ca, b.connect() as cb:
            ca.execute("CALL ml_fleet_publish('a')")
            cb.execute("CALL ml_fleet_publish('b')")
            h.execute("CALL ml_fleet_publish('hub', hub => true)")
            h.execute("SELECT * FROM ml_fleet_add_member('a', %s)", (a.conninfo,))
            h.execute("SELECT * FROM ml_fleet_add_member('b', %s)", (b.conninfo,))
            ca.execute("SELECT * FROM ml_fleet_join(%s)", (hub.conninfo,))
            cb.execute("SELECT * FROM ml_fleet_join(%s)", (hub.conninfo,))
        yield hub, a, b


def record(conn, customer=987654321):
    return one(conn, "SELECT ml_record_optimization(%s, %s, 'index', 30)", QUERY.format(customer), INDEX)


def feed(conn, opt, improvements, comment=None):
    for value in improvements:
        conn.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, comment) "
                     "VALUES (%s, 100, 100 - %s, %s)", (opt, value, comment))


def hub_count(h, origin):
    return one(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = %s", origin)


def applications(h):
    return one(h, "SELECT coalesce(sum(applications), 0) FROM query_ml.pattern_totals")


def test_learning_on_one_member_serves_another(fleet):
    hub, a, b = fleet
    with hub.connect() as h, a.connect() as ca, b.connect() as cb:
        local_b = record(cb, 7)
        assert cb.execute(f"SELECT * FROM ml_match_pattern(%s)", (QUERY.format(99),)).fetchall() == []
        opt = record(ca)
        feed(ca, opt, [48, 50, 52, 49, 51, 50, 47, 53, 50, 50, 49, 51], comment="secret-comment")
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", 12)
        wait_for(h, "SELECT count(*) FROM query_ml.optimizations WHERE fleet_origin = 'b'", 1)
        # Feedback recorded on member A changes the hub's statistics: one pattern for both members' shape.
        assert one(h, "SELECT count(*) FROM query_ml.patterns") == 1
        assert h.execute("SELECT DISTINCT submitted_by FROM query_ml.feedback").fetchall() == [("a/postgres",)]
        assert applications(h) == 12
        assert one(h, "SELECT count(*) FROM query_ml.optimizations WHERE fleet_origin IN ('a', 'b')") == 2
        h.execute("SELECT * FROM ml_refine()")
        wait_for(cb, "SELECT coalesce(max(applications), 0) FROM query_ml.fleet_patterns", 12)
        rows = cb.execute("SELECT pattern_id, evidence, score, applications FROM ml_match_pattern(%s)",
                          (QUERY.format(99),)).fetchall()
        b_pattern = one(cb, "SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", local_b)
        assert [(r[0], r[1], r[3]) for r in rows] == [(b_pattern, "fleet", 12)]
        assert rows[0][2] >= 0.8
        # One pattern B has: the concrete SQL to run.  A shape B never recorded: the suggestion only.
        assert cb.execute("SELECT evidence, applied_sql FROM ml_match_and_suggest(%s)",
                          (QUERY.format(99),)).fetchall() == [("fleet", INDEX)]
        cb.execute("DELETE FROM query_ml.optimizations WHERE id = %s", (local_b,))
        cb.execute("DELETE FROM query_ml.patterns WHERE id = %s", (b_pattern,))
        assert cb.execute("SELECT pattern_id, evidence, applied_sql, suggestion FROM ml_match_and_suggest(%s)",
                          (QUERY.format(99),)).fetchall() == [(None, "fleet", None, f"create the index: {INDEX}")]
        local_b = record(cb, 7)
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_nothing_literal_crosses_the_wire(fleet):
    hub, a, _ = fleet
    with hub.connect() as h:
        for table in ("member_optimizations", "member_feedback", "optimizations", "patterns", "feedback",
                      "fleet_patterns"):
            text = one(h, f"SELECT coalesce(string_agg(t::text, ' '), '') FROM query_ml.{table} t")
            assert "987654321" not in text and "zqxliteral" not in text and "secret" not in text, table
        assert "customer_id = $1" in one(h, "SELECT string_agg(original_query, ' ') FROM query_ml.member_optimizations")
    with a.connect() as ca:
        published = ca.execute("SELECT tablename, attnames FROM pg_publication_tables "
                               "WHERE pubname = 'query_ml_fleet_member_v1' ORDER BY 1").fetchall()
        assert [t for t, _ in published] == ["member_feedback", "member_optimizations"]
        columns = {c for _, names in published for c in names}
        assert not columns & {"comment", "description", "rating", "before_rows", "after_rows"}


def test_replication_role_has_only_what_it_needs(fleet):
    hub, a, _ = fleet
    with a.connect() as ca:
        role = ca.execute("SELECT rolsuper, rolreplication, rolcreaterole, rolcreatedb, rolbypassrls "
                          "FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone()
        assert role == (False, True, False, False, False)
        readable = {r[0] for r in ca.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'query_ml'::regnamespace AND c.relkind = 'r' "
            "AND has_table_privilege(%s, c.oid, 'SELECT')", (ROLE,))}
        assert readable == {"member_optimizations", "member_feedback"}
        assert not any(one(ca, "SELECT has_table_privilege(%s, 'query_ml.member_feedback', %s)", ROLE, p)
                       for p in ("INSERT", "UPDATE", "DELETE", "TRUNCATE"))


def test_a_member_cannot_change_another_members_rows(fleet):
    hub, a, b = fleet
    with hub.connect() as h, a.connect() as ca, b.connect() as cb:
        opt_b = record(cb, 5)
        feed(cb, opt_b, [20, 22])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'b'", 2)
        victim = one(h, "SELECT min(id) FROM query_ml.member_feedback WHERE origin = 'b'")
        before = h.execute("SELECT before_execution_ms, after_execution_ms FROM query_ml.member_feedback "
                           "WHERE origin = 'b' AND id = %s", (victim,)).fetchone()
        refused = one(h, "SELECT count(*) FROM query_ml.fleet_refusals")
        # A's superuser forges rows under B's name in what A publishes: a new one, and one of B's ids.
        ca.execute("INSERT INTO query_ml.member_feedback VALUES ('b', 999999, 1, 100, 1, NULL, NULL, 'manual', now(), "
                   "now(), 'mallory')")
        ca.execute("INSERT INTO query_ml.member_feedback VALUES ('b', %s, 1, 100, 99, NULL, NULL, 'manual', now(), "
                   "now(), 'mallory')", (victim,))
        ca.execute("UPDATE query_ml.member_feedback SET after_execution_ms = 1 WHERE origin = 'b'")
        ca.execute("DELETE FROM query_ml.member_feedback WHERE origin = 'b'")
        # Replication goes on: A's next row arrives, after the forged ones.
        opt_a = one(ca, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        count_a = hub_count(h, "a")
        feed(ca, opt_a, [50])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", count_a + 1)
        assert one(h, "SELECT count(*) FROM query_ml.fleet_refusals") >= refused + 3
        assert h.execute("SELECT before_execution_ms, after_execution_ms FROM query_ml.member_feedback "
                         "WHERE origin = 'b' AND id = %s", (victim,)).fetchone() == before
        assert hub_count(h, "b") == 2
        assert one(h, "SELECT count(*) FROM query_ml.member_feedback WHERE id = 999999") == 0
        states = h.execute("SELECT name, state FROM ml_fleet_status() WHERE part = 'member' ORDER BY name").fetchall()
        assert states == [("a", "streaming"), ("b", "streaming")]
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_a_member_that_was_offline_catches_up(fleet):
    hub, a, b = fleet
    with hub.connect() as h:
        count_a = hub_count(h, "a")
    a.cluster.stop()
    with b.connect() as cb, hub.connect() as h:
        opt_b = one(cb, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        feed(cb, opt_b, [30])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'b'", 3)
        h.execute("SELECT * FROM ml_refine()")
    a.cluster.start()
    with a.connect() as ca, hub.connect() as h:
        opt_a = one(ca, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        feed(ca, opt_a, [51, 49])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", count_a + 2)
        # and A hears the hub again
        h.execute("SELECT * FROM ml_refine()")
        total = one(h, "SELECT max(applications) FROM query_ml.fleet_patterns")
        wait_for(ca, "SELECT coalesce(max(applications), 0) FROM query_ml.fleet_patterns", total)
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_the_hub_restarts(fleet):
    hub, a, _ = fleet
    with hub.connect() as h:
        count_a = hub_count(h, "a")
    hub.cluster.restart(mode="immediate")
    with a.connect() as ca:
        opt_a = one(ca, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        feed(ca, opt_a, [50, 50, 50])
    hub.cluster.stop()
    with a.connect() as ca:
        feed(ca, opt_a, [52])                # recorded while the hub is down
    hub.cluster.start()
    with hub.connect() as h:
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", count_a + 4)
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []
        assert one(h, "SELECT count(*) FROM query_ml.member_feedback") == \
            one(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin IS NOT NULL")


def test_a_member_added_again_moves_its_history_with_its_rows(fleet):
    """Red team: a member removed with its history kept, whose optimization changed meanwhile, was
    added again; the hub replaced the row, its delete did not cascade in the apply worker (which
    runs as a replica), and the pattern's 6 results were left orphaned."""
    hub, a, _ = fleet
    with hub.connect() as h, a.connect() as ca:
        opt = one(ca, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        count_a = hub_count(h, "a")
        h.execute("SELECT * FROM ml_fleet_remove_member('a')")
        ca.execute("UPDATE query_ml.optimizations SET estimated_improvement = 55 WHERE id = %s", (opt,))
        h.execute("SELECT * FROM ml_fleet_add_member('a', %s)", (a.conninfo,))
        wait_for(h, "SELECT estimated_improvement::float8 FROM query_ml.optimizations "
                    "WHERE fleet_origin = 'a' AND fleet_id = %s", 55.0, opt)
        feed(ca, opt, [50])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", count_a + 1)
        assert one(h, "SELECT count(*) FROM query_ml.feedback f "
                      "WHERE NOT EXISTS (SELECT FROM query_ml.optimizations o WHERE o.id = f.optimization_id)") == 0
        assert applications(h) == one(h, "SELECT count(*) FROM query_ml.feedback")
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []
        # The foreign keys' own triggers fire in an apply worker too.
        assert one(h, "SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                      "WHERE c.relnamespace = 'query_ml'::regnamespace AND g.tgconstraint <> 0 "
                      "AND g.tgenabled <> 'A'") == 0


def test_hand_written_keys_and_truncates_do_not_stop_replication(fleet):
    """Red team: a member's superuser changing an id in what it publishes stopped the hub's apply
    worker on a duplicate key; a TRUNCATE of it left the hub holding rows the member dropped."""
    hub, a, _ = fleet
    with hub.connect() as h, a.connect() as ca:
        with pytest.raises(psycopg.errors.FeatureNotSupported):
            ca.execute("TRUNCATE query_ml.member_feedback")
        opt = one(ca, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        feed(ca, opt, [40])
        wait_for(h, "SELECT count(*) FROM query_ml.member_feedback WHERE origin = 'a'",
                 one(ca, "SELECT count(*) FROM query_ml.member_feedback"))
        count_a = hub_count(h, "a")
        first = one(ca, "SELECT min(id) FROM query_ml.member_feedback")
        refused = one(h, "SELECT count(*) FROM query_ml.fleet_refusals")
        # A superuser going past the guard: the hub keeps the rows, then an id is moved onto one of them.
        ca.execute("ALTER TABLE query_ml.member_feedback DISABLE TRIGGER member_feedback_truncate")
        ca.execute("TRUNCATE query_ml.member_feedback")
        ca.execute("SELECT query_ml.fleet_set_triggers()")
        ca.execute("INSERT INTO query_ml.member_feedback VALUES ('a', 99999, %s, 100, 1, NULL, NULL, 'manual', now(), "
                   "now(), 'mallory')", (opt,))
        ca.execute("UPDATE query_ml.member_feedback SET id = %s WHERE id = 99999", (first,))
        feed(ca, opt, [41])
        # The hub keeps row 99999 (its id does not change) and takes the next one.
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", count_a + 2)
        assert one(h, "SELECT count(*) FROM query_ml.fleet_refusals") == refused + 1
        assert "ids do not change" in one(h, "SELECT reason FROM query_ml.fleet_refusals ORDER BY id DESC LIMIT 1")
        assert h.execute("SELECT state FROM ml_fleet_status() WHERE part = 'member' AND name = 'a'").fetchone() \
            == ("streaming",)
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_a_member_added_under_another_name_takes_nothing_from_it(fleet):
    """Red team: a member's conninfo added again under a second name made two subscriptions read
    one slot: each member's slot is named after it, so the second finds none."""
    hub, a, _ = fleet
    with hub.connect() as h, a.connect() as ca:
        h.execute("SELECT * FROM ml_fleet_add_member('impostor', %s)", (a.conninfo,))
        opt = one(ca, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        count_a = hub_count(h, "a")
        feed(ca, opt, [52])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", count_a + 1)
        assert one(h, "SELECT count(*) FROM query_ml.member_feedback WHERE origin = 'impostor'") == 0
        assert h.execute("SELECT state FROM ml_fleet_status() WHERE part = 'member' AND name = 'a'").fetchone() \
            == ("streaming",)
        h.execute("SELECT * FROM ml_fleet_remove_member('impostor', keep_history => false)")
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_a_members_truncate_of_its_feedback_reaches_the_hub_as_deletes(fleet):
    hub, _, b = fleet
    with hub.connect() as h, b.connect() as cb:
        assert hub_count(h, "b") > 0
        others = applications(h) - hub_count(h, "b")
        cb.execute("TRUNCATE query_ml.feedback")
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'b'", 0)
        assert applications(h) == others
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []
        opt_b = one(cb, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        feed(cb, opt_b, [20, 22])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'b'", 2)


def test_a_type_without_a_line_of_its_own_uses_the_fleets(db):
    db.execute("INSERT INTO query_ml.fleet_calibration VALUES ('hub', 'index', 7, 0.5, 12, 9, 100)")
    assert db.execute("SELECT intercept, slope, effect_sd FROM query_ml.type_prior('index')").fetchone() == (7, 0.5, 12)
    assert db.execute("SELECT intercept, slope, effect_sd FROM query_ml.type_prior('rewrite')").fetchone() \
        == (0, 1, None)
    db.execute("INSERT INTO query_ml.type_calibration (optimization_type, applications, mean_error, patterns, intercept, "
               "slope, effect_sd) VALUES ('index', 50, 3, 6, 2, 0.9, 8)")
    assert db.execute("SELECT intercept, slope, effect_sd FROM query_ml.type_prior('index')").fetchone() == (2, 0.9, 8)

def test_a_row_refused_then_corrected_or_moved_is_merged_again(fleet):
    """Red team, second round: a row refused on the hub and then corrected on the member stayed
    unmerged; a row moved to an optimization the hub does not have kept its old values there."""
    hub, a, _ = fleet
    with hub.connect() as h, a.connect() as ca:
        opt = one(ca, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        count_a = hub_count(h, "a")
        ca.execute("INSERT INTO query_ml.member_feedback VALUES ('a', 888888, %s, 100, 50, NULL, NULL, 'manual', "
                   "'1990-01-01', now(), 'postgres')", (opt,))
        ca.execute("UPDATE query_ml.member_feedback SET applied_at = now() WHERE id = 888888")
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a' AND fleet_id = 888888", 1)
        ca.execute("UPDATE query_ml.member_feedback SET optimization_id = 777777 WHERE id = 888888")
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a' AND fleet_id = 888888", 0)
        ca.execute("DELETE FROM query_ml.member_feedback WHERE id = 888888")
        feed(ca, opt, [50])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'a'", count_a + 1)
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_a_member_with_a_history_joins_whole():
    """Red team, second round: the initial copies of a member's two tables run at once, and each
    merge missed the other's rows: of 3,000 feedback rows, 10 to 50 were never merged."""
    with Node("hub2") as hub, Node("c") as c, hub.connect() as h, c.connect() as cc:
        with cc.transaction():
            for i in range(150):
                name = "t_" + "abcdefghijklmnopqrstuvwxyz"[i // 26 % 26] + "abcdefghijklmnopqrstuvwxyz"[i % 26]
                opt = one(cc, "SELECT ml_record_optimization(%s, %s, 'index', 30)",
                          f"SELECT * FROM {name} WHERE c = {i}", f"CREATE INDEX ON {name} (c)")
                cc.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                           "SELECT %s, 100, 50 + g FROM generate_series(1, 10) g", (opt,))
        cc.execute("CALL ml_fleet_publish('c')")
        h.execute("CALL ml_fleet_publish('hub', hub => true)")
        h.execute("SELECT * FROM ml_fleet_add_member('c', %s)", (c.conninfo,))
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'c'", 1500)
        assert applications(h) == 1500
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_a_cancelled_add_member_leaves_no_slot(fleet):
    """Red team, second round: a call cancelled by statement_timeout (which a handler for OTHERS
    does not catch) left the slot it had made on the hub, keeping WAL."""
    hub, _, _ = fleet
    folder = tempfile.mkdtemp(prefix="qml-mute-")
    os.chmod(folder, 0o777)
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)      # accepts, and never answers
    mute.bind(os.path.join(folder, ".s.PGSQL.5432"))
    os.chmod(os.path.join(folder, ".s.PGSQL.5432"), 0o777)
    mute.listen(5)
    try:
        with hub.connect() as h:
            h.execute("SET statement_timeout = '1s'")
            for _ in range(2):          # and again, over what a first attempt might have left
                with pytest.raises(psycopg.errors.QueryCanceled):
                    h.execute("SELECT * FROM ml_fleet_add_member('mute', %s)", (f"host={folder} dbname=app",))
                assert one(h, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '%%mute'") == 0
                assert one(h, "SELECT count(*) FROM query_ml.fleet_members WHERE name = 'mute'") == 0
    finally:
        mute.close()

def test_one_new_shape_from_two_members_at_once_is_one_pattern(fleet):
    """CONCURRENCY.md, a fleet's hub: two members' apply workers merge a new shape at once."""
    hub, a, b = fleet
    shape = ("SELECT * FROM invoices WHERE due < now() - interval '1 day'",
             "CREATE INDEX ON invoices (due)")
    with hub.connect() as h, a.connect() as ca, b.connect() as cb:
        before = one(h, "SELECT count(*) FROM query_ml.patterns")
        with ca.transaction(), cb.transaction():
            for conn in (ca, cb):
                opt = one(conn, "SELECT ml_record_optimization(%s, %s, 'index', 20)", *shape)
                feed(conn, opt, [30, 31])
        wait_for(h, "SELECT count(*) FROM query_ml.optimizations WHERE original_query LIKE '%%invoices%%'", 2)
        wait_for(h, "SELECT count(*) FROM query_ml.feedback f JOIN query_ml.optimizations o ON o.id = f.optimization_id "
                    "WHERE o.original_query LIKE '%%invoices%%'", 4)
        assert one(h, "SELECT count(*) FROM query_ml.patterns") == before + 1
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []

def test_a_removed_members_history_is_kept_or_dropped(fleet):
    hub, a, b = fleet
    with hub.connect() as h, a.connect() as ca, b.connect() as cb:
        kept = hub_count(h, "b")
        h.execute("SELECT * FROM ml_fleet_remove_member('b')")
        assert hub_count(h, "b") == kept
        assert one(h, "SELECT count(*) FROM pg_subscription WHERE subname = 'query_ml_fleet_v1_from_b'") == 0
        assert one(h, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'query_ml_fleet_v1_to_b'") == 0
        cb.execute("SELECT * FROM ml_fleet_leave()")
        assert one(cb, "SELECT count(*) FROM pg_replication_slots") == 0
        assert one(cb, "SELECT count(*) FROM pg_subscription") == 0
        # B, added again under its name, copies its rows again: equal rows change nothing, none conflicts.
        cb.execute("CALL ml_fleet_publish('b')")
        h.execute("SELECT * FROM ml_fleet_add_member('b', %s)", (b.conninfo,))
        cb.execute("SELECT * FROM ml_fleet_join(%s)", (hub.conninfo,))
        opt_b = one(cb, "SELECT id FROM query_ml.optimizations ORDER BY id LIMIT 1")
        feed(cb, opt_b, [31])
        wait_for(h, "SELECT count(*) FROM query_ml.feedback WHERE fleet_origin = 'b'", kept + 1)
        wait_for(h, "SELECT state FROM ml_fleet_status() WHERE part = 'member' AND name = 'b'", "streaming")

        gone = hub_count(h, "a")
        h.execute("SELECT * FROM ml_fleet_remove_member('a', keep_history => false)")
        assert hub_count(h, "a") == 0 and gone > 0
        assert one(h, "SELECT count(*) FROM query_ml.member_optimizations WHERE origin = 'a'") == 0
        assert applications(h) == one(h, "SELECT count(*) FROM query_ml.feedback")
        assert h.execute("SELECT * FROM ml_check_stats()").fetchall() == []
        ca.execute("SELECT * FROM ml_fleet_leave()")
        assert one(ca, "SELECT count(*) FROM query_ml.fleet_patterns") == 0


def test_without_logical_wal_the_helpers_say_so(db):
    """The test server runs with wal_level = replica."""
    for statement in ("CALL ml_fleet_publish('x')", "SELECT * FROM ml_fleet_add_member('x', 'host=/nowhere')"):
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as error:
            db.execute(statement)
        assert "wal_level = logical" in error.value.diag.message_primary
        assert "ALTER SYSTEM SET wal_level = logical" in error.value.diag.message_hint


def test_the_helpers_need_a_superuser(fresh_db):
    with fresh_db.connect() as conn:
        conn.execute("DROP ROLE IF EXISTS fleet_admin")
        conn.execute("CREATE ROLE fleet_admin IN ROLE query_ml_admin")
        conn.execute("SET ROLE fleet_admin")
        for statement in ("CALL ml_fleet_publish('x')", "SELECT * FROM ml_fleet_add_member('x', 'host=/nowhere')",
                          "SELECT * FROM ml_fleet_remove_member('x')", "SELECT * FROM ml_fleet_join('host=/nowhere')",
                          "SELECT * FROM ml_fleet_leave()"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as error:
                conn.execute(statement)
            assert "needs a superuser" in error.value.diag.message_primary
        assert conn.execute("SELECT part, state FROM ml_fleet_status()").fetchall() == [("cluster", "not in a fleet")]
        conn.execute("RESET ROLE")
        conn.execute("DROP ROLE fleet_admin")


@pytest.fixture(scope="module")
def lone():
    """A cluster with wal_level = logical that is in no fleet yet."""
    with Node("lone") as node:
        yield node


@pytest.mark.parametrize("statement, sqlstate, words", [
    ("CALL ml_fleet_publish(NULL)", "22023", "a fleet name is"),
    ("CALL ml_fleet_publish('Bad Name')", "22023", "a fleet name is"),
    ("CALL ml_fleet_publish('x', NULL)", "22004", "hub must not be NULL"),
    ("SELECT * FROM ml_fleet_remove_member(NULL)", "22004", "name must not be NULL"),
    ("SELECT * FROM ml_fleet_add_member('x', 'host=/nowhere')", "55000", "not a fleet hub"),
    ("SELECT * FROM ml_fleet_join('host=/nowhere')", "55000", "not a fleet member"),
    ("SELECT * FROM ml_fleet_leave()", "55000", "not in a fleet"),
    ("SELECT * FROM ml_fleet_remove_member('x')", "42704", "not a member of this fleet"),
    ("SELECT * FROM ml_fleet_remove_member('x', NULL)", "22004", "keep_history must not be NULL"),
])
def test_bad_calls_get_clear_errors(lone, statement, sqlstate, words):
    with lone.connect() as conn:
        with pytest.raises(psycopg.Error) as error:
            conn.execute(statement)
        assert error.value.sqlstate == sqlstate
        assert words in error.value.diag.message_primary
        assert one(conn, "SELECT count(*) FROM pg_replication_slots") == 0
        assert one(conn, "SELECT count(*) FROM query_ml.fleet_identity") == 0


def test_a_member_of_another_protocol_is_refused(lone, fleet):
    """A publisher without the v1 publication (another protocol, or not published) is refused
    clearly, and the hub keeps no subscription or slot for it."""
    hub, _, _ = fleet
    with hub.connect() as h:
        slots = one(h, "SELECT count(*) FROM pg_replication_slots")
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as error:
            h.execute("SELECT * FROM ml_fleet_add_member('lone', %s)", (lone.conninfo.replace(ROLE, "postgres"),))
        assert "no fleet tables of protocol v1" in error.value.diag.message_primary
        assert "CALL ml_fleet_publish('lone')" in error.value.diag.message_hint
        assert one(h, "SELECT count(*) FROM pg_replication_slots") == slots
        assert one(h, "SELECT count(*) FROM query_ml.fleet_members WHERE name = 'lone'") == 0
        assert one(h, "SELECT count(*) FROM pg_subscription WHERE subname LIKE '%lone'") == 0
        with pytest.raises(psycopg.errors.InvalidParameterValue) as error:
            h.execute("SELECT * FROM ml_fleet_add_member('lone', ' ')")
        assert error.value.diag.message_primary == "query_ml: conninfo must name the member's server"


def test_triggers_fire_always_and_the_fleets_only_where_they_serve(db):
    """README, Fleet: every query_ml trigger fires ALWAYS (an apply worker runs as a replica), the
    fleet's own are disabled outside a fleet; session_replication_role = replica skips none."""
    states = dict(db.execute("""SELECT g.tgname, g.tgenabled FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
                                 WHERE c.relnamespace = 'query_ml'::regnamespace
                                   AND (NOT g.tgisinternal OR g.tgconstraint <> 0)""").fetchall())
    fleet = {name for name in states if "_fleet_" in name or name.startswith("member_")} \
        - {"member_optimizations_truncate", "member_feedback_truncate"}
    assert {name: state for name, state in states.items() if name in fleet} == {name: "D" for name in fleet}
    assert {state for name, state in states.items() if name not in fleet} == {"A"}
    opt = one(db, "SELECT ml_record_optimization('SELECT * FROM t_q WHERE a = 1', 'CREATE INDEX ON t_q (a)', "
                  "'index', 20)")
    db.execute("SET session_replication_role = replica")
    db.execute("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
               "VALUES (%s, 100, 60)", (opt,))
    db.execute("RESET session_replication_role")
    assert one(db, "SELECT applications FROM query_ml.pattern_totals") == 1
    assert db.execute("SELECT * FROM ml_check_stats()").fetchall() == []


def test_only_admins_read_other_members_rows_and_only_replication_writes(fresh_db):
    with fresh_db.connect() as conn:
        for role in ("fleet_reader", "fleet_admin"):
            conn.execute(f"DROP ROLE IF EXISTS {role}")
        conn.execute("CREATE ROLE fleet_reader IN ROLE query_ml_reader")
        conn.execute("CREATE ROLE fleet_admin IN ROLE query_ml_admin")
        conn.execute("SET ROLE fleet_reader")
        for table in ("member_optimizations", "member_feedback", "fleet_members", "fleet_refusals"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM query_ml.{table}")
        conn.execute("SELECT * FROM query_ml.fleet_patterns")        # what members' matching reads
        conn.execute("SET ROLE fleet_admin")
        conn.execute("SELECT * FROM query_ml.member_feedback")
        for statement in ("DELETE FROM query_ml.member_feedback", "DELETE FROM query_ml.fleet_patterns",
                          "DELETE FROM query_ml.fleet_members", "DELETE FROM query_ml.fleet_identity",
                          "INSERT INTO query_ml.fleet_calibration VALUES ('x', 'index', 0, 1, 1, 1, 1)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        conn.execute("RESET ROLE")
        conn.execute("DROP ROLE fleet_reader")
        conn.execute("DROP ROLE fleet_admin")
