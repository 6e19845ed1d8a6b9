"""The parts of ml_track that need no server: what it refuses, reads and hides."""
import json

import pytest

from query_ml import tracking

from .fake_plpy import raises_sql

PLAN = [{"Plan": {"Node Type": "Limit", "Actual Rows": 20, "Actual Loops": 1, "Shared Hit Blocks": 17,
                  "Shared Read Blocks": 3}, "Planning Time": 0.21, "Execution Time": 0.034}]


def test_metrics_are_read_from_explain_json():
    assert tracking._metrics([{"QUERY PLAN": json.dumps(PLAN)}]) == \
        {"execution": 0.034, "planning": 0.21, "rows": 20, "hit": 17, "read": 3}


@pytest.mark.parametrize("sql", ["SELECT * FROM t WHERE a = 1", "VALUES (1), (2)", "TABLE t",
                                 "WITH x AS (SELECT 1) SELECT * FROM x", "SELECT 1 UNION SELECT 2"])
def test_read_only_queries_pass(plpy, sql):
    tracking._read_only(plpy, sql, "original")


@pytest.mark.parametrize("sql", ["DELETE FROM t", "UPDATE t SET a = 1", "INSERT INTO t VALUES (1)",
                                 "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
                                 "SELECT * FROM t FOR UPDATE", "SELECT * INTO u FROM t", "CREATE TABLE u (a int)",
                                 "MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE"])
def test_writes_are_refused(plpy, sql):
    with raises_sql("25006"):
        tracking._read_only(plpy, sql, "original")


def test_literals_are_scrubbed_from_messages():
    message = 'invalid input syntax for type integer: "token-8f3a9"'
    assert tracking._scrub(message, ["token-8f3a9", "ab"]) == 'invalid input syntax for type integer: "?"'
    assert tracking._scrub("permission denied for table t1", ["1"]) == "permission denied for table t1"


def test_explain_switches_to_read_only_in_the_same_call():
    assert tracking._explain("SELECT 1;") == \
        "SET LOCAL transaction_read_only = on;\nEXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) SELECT 1"
