"""What the workload keeps and shows of pg_stat_statements' texts (README, "Workload")."""
import pytest

from query_ml import fingerprints, parsing, workload

SECRET = "hunter2-secret"


@pytest.mark.parametrize("sql", [
    "SELECT * FROM orders WHERE customer_id = $1",
    "SELECT a FROM t WHERE b IN ($1, $2, $3) ORDER BY a LIMIT $4",
])
def test_a_text_without_literals_is_shown_and_fingerprinted_as_it_is(plpy, sql):
    assert parsing.literal_free(sql)
    assert workload.shown(plpy, [sql]) == [sql]
    assert workload.fingerprints_of(plpy, [sql]) == [fingerprints.fingerprint(plpy, sql)]


@pytest.mark.parametrize("sql", [
    f"SET application_name = '{SECRET}'",
    f"COMMENT ON TABLE orders IS '{SECRET}'",
    f"CREATE TABLE t (a text DEFAULT '{SECRET}')",
    f"SELECT 1 /* {SECRET} */",
])
def test_a_text_with_a_literal_or_a_comment_is_shown_normalized_or_not_at_all(plpy, sql):
    assert not parsing.literal_free(sql)
    [shown] = workload.shown(plpy, [sql])
    assert shown is None or SECRET not in shown


@pytest.mark.parametrize("sql", [
    f"ALTER ROLE bob PASSWORD '{SECRET}'",
    f"COMMENT ON TABLE orders IS '{SECRET}'",
    "CREATE SEQUENCE s START 987654",
])
def test_nothing_is_kept_of_a_utility_statement_that_holds_a_value(plpy, sql):
    """pglast's fingerprint of these depends on the value, and pg_stat_statements' queryid of a
    utility statement is a hash of its text: kept, either would let one test guesses."""
    assert fingerprints.fingerprint(plpy, sql) != fingerprints.fingerprint(plpy, parsing.with_other_values(sql))
    assert not parsing.planned(sql)
    assert workload.fingerprints_of(plpy, [sql]) == [workload.NOT_KEPT]


@pytest.mark.parametrize("sql, planned", [("SELECT 1", True), ("/* c */ (SELECT 1)", True), ("WITH x AS (SELECT 1) SELECT 1", True),
                                          ("delete from t", True), ("MERGE INTO t USING s ON true WHEN MATCHED THEN DO NOTHING", True),
                                          ("EXPLAIN SELECT 1", False), ("VACUUM t", False), ("SET a = 1", False), ("", False),
                                          ("SELECT * INTO TEMP t2 FROM t WHERE a = 'x'", False),    # red team: a utility statement
                                          ("INSERT INTO t SELECT 1", True), ("WITH x AS (INSERT INTO t VALUES (1) RETURNING a) SELECT a FROM x", True)])
def test_planned_statements_are_told_from_utility_ones(sql, planned):
    assert parsing.planned(sql) is planned


@pytest.mark.parametrize("sql", [
    "SELECT a, count(*) FROM t WHERE b = $1 GROUP BY 1 ORDER BY 2",     # positions: structure, and kept
    "SELECT $1::numeric(10, 2) FROM t",                                   # a size: structure
    "SELECT * FROM t LIMIT 10",
])
def test_structure_that_looks_like_a_literal_keeps_its_fingerprint(plpy, sql):
    assert workload.fingerprints_of(plpy, [sql]) == [fingerprints.fingerprint(plpy, sql)]


def test_texts_that_do_not_parse_give_none_and_the_rest_keep_their_places(plpy):
    texts = ["SELECT FROM WHERE", None, "SELECT b FROM t WHERE a = $1"]
    found = workload.fingerprints_of(plpy, texts)
    assert found[:2] == [None, None] and found[2] == fingerprints.fingerprint(plpy, texts[2])
    assert workload.shown(plpy, texts)[1:] == [None, texts[2]]


def test_other_values_change_every_literal_and_nothing_else():
    sql = "SELECT 'a', 42, 1.5, B'1', X'FF', $1, name FROM t -- c"
    other = parsing.with_other_values(sql)
    assert other == "SELECT 'qml', 43, 7.5, B'1', X'1F', $1, name FROM t -- c"
