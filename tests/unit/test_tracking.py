"""The parts of ml_track that need no server: what it refuses, reads and hides."""
import json

import pytest

from query_ml import tracking

from .fake_plpy import raises_sql

PLAN = [{"Plan": {"Node Type": "Limit", "Actual Rows": 20, "Actual Loops": 1, "Shared Hit Blocks": 17,
                  "Shared Read Blocks": 3}, "Planning Time": 0.21, "Execution Time": 0.034}]


def test_metrics_are_read_from_explain_json():
    assert tracking._metrics([{"plan": json.dumps(PLAN)}]) == \
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


@pytest.mark.parametrize("message, scrubbed", [
    ('invalid input syntax for type integer: "token-8f3a9"', "invalid input syntax for type integer: ..."),
    ('invalid input syntax for type integer: "SEK\'quote"', "invalid input syntax for type integer: ..."),
    ('invalid input syntax for type integer: "a"b"', "invalid input syntax for type integer: ..."),
    ('value "99999999999" is out of range for type integer', "value ... is out of range for type integer"),
    ("value overflows numeric format: 1e-320", "value overflows numeric format: ..."),
    ("division by zero", "division by zero"),
    ("permission denied for table t1", "permission denied for table t1"),
    ("array subscript out of range: -7", "array subscript out of range: ..."),
    ("date/time field value out of range: 2024-13-45", "date/time field value out of range: ..."),
    ("operator does not exist: Zsecret7q(int4,int4)", "operator does not exist: ..."),
    ("improper qualified name (too many dotted names): a.b.c.zsecret7q",
     "improper qualified name (too many dotted names): ..."),
    ('invalid byte sequence for encoding "UTF8": 0xe2 0x82 0x28', "invalid byte sequence for encoding ...: ..."),
    ("character with byte sequence 0xe2 0x82 0xac in encoding", "character with byte sequence ... ... ... in encoding"),
    ("", ""),
    (None, ""),
])
def test_values_are_scrubbed_from_messages(message, scrubbed):
    assert tracking.scrub(message) == scrubbed


def test_a_message_a_function_raised_is_left_out():
    assert tracking.scrub("bad value Card gddd SECRETPASS seen", "P0001") == "a function it calls raised an error"


def test_stored_optimized_text_runs_only_as_the_role_that_stored_it(plpy):
    opt = {"id": 7, "recorded_by": "bot", "stored_by": "dba"}
    with raises_sql("42501") as error:
        tracking._authored(plpy, opt, None, None)
    assert "stored by dba" in str(error.value) and "optimized =>" in error.value.hint
    tracking._authored(plpy, opt, None, "SELECT 2")             # the caller's own text runs
    tracking._authored(plpy, {**opt, "stored_by": "bot"}, None, None)      # stored and recorded by one role


def test_a_measurement_is_stored_only_under_its_nonce(plpy):
    with raises_sql("42501"):
        tracking.store_pending(plpy, "0" * 32)
    with raises_sql("42501"):
        tracking.store_pending(plpy, None)
