"""Storing patterns: what an optimized text may be, what it may reach, and what the row trigger
derives.  What the server answers (catalog look-ups, the INSERT) comes from canned rows; the
statements themselves are tested in tests/server/test_patterns.py."""
import pytest

from query_ml import errors, fingerprints, patterns, similarity
from query_ml.parsing import PARSER_VERSION

from .fake_plpy import FakePlpy, SPIError, raises_sql

QUERY = "SELECT * FROM t WHERE a = 1"
REACHES = "the optimized text reaches what the original does not: "
TYPE_CHECKED = ("query_ml.check_optimization_type", [])       # the server knows the types


# Types and descriptions ---------------------------------------------------------------------------

def test_the_type_is_checked_by_the_server_and_its_error_comes_out_as_raised():
    refused = SPIError('query_ml: unknown optimization type "magic"', "22023", hint="The types are hint, index.")
    plpy = FakePlpy([("query_ml.check_optimization_type", refused)])
    with raises_sql("22023") as info:
        patterns.check_type(plpy, "magic")
    assert str(info.value) == 'unknown optimization type "magic"' and info.value.hint == "The types are hint, index."
    assert plpy.queries[0][1] == ["magic"]


@pytest.mark.parametrize("description", [None, "", "x" * patterns.MAX_DESCRIPTION_CHARS])
def test_descriptions_up_to_the_limit_pass(plpy, description):
    patterns.check_description(plpy, description)


def test_a_longer_description_is_refused_with_its_length(plpy):
    with raises_sql("22001") as info:
        patterns.check_description(plpy, "é" * 2001)
    assert str(info.value) == "the description is 2001 characters long; the most is 2000"


# What the optimized text of each type may be ------------------------------------------------------

@pytest.mark.parametrize("kind, original, optimized, stored", [
    # The original's values become its parameters; a constant of the rewrite's own stays.
    ("rewrite", QUERY, "SELECT a, b FROM t WHERE a = 1 LIMIT 10", "SELECT a, b FROM t WHERE a = $1 LIMIT 10"),
    ("rewrite", QUERY, "WITH x AS (SELECT * FROM t WHERE a = 1) SELECT * FROM x",
     "WITH x AS (SELECT * FROM t WHERE a = $1) SELECT * FROM x"),
    ("rewrite", "UPDATE t SET b = 2 WHERE a = 1", "UPDATE t SET b = 2 WHERE a = 1 AND b IS DISTINCT FROM 2",
     "UPDATE t SET b = $1 WHERE a = $2 AND b IS DISTINCT FROM $1"),
    ("hint", QUERY, "/*+ SeqScan(t) */ SELECT * FROM t WHERE a = 1", "/*+ SeqScan(t) */ SELECT * FROM t WHERE a = $1"),
    ("index", QUERY, "CREATE INDEX ON t (a)", "CREATE INDEX ON t (a)"),
    ("index", QUERY, "CREATE STATISTICS s ON a, b FROM t", "CREATE STATISTICS s ON a, b FROM t"),
    ("setting", QUERY, "SET work_mem = '1GB'", "SET work_mem = '1GB'"),
    ("setting", QUERY, "SET LOCAL enable_seqscan = off", "SET LOCAL enable_seqscan = off"),
    ("setting", QUERY, "RESET work_mem", "RESET work_mem"),
    ("setting", QUERY, "ALTER SYSTEM SET work_mem = '1GB'", "ALTER SYSTEM SET work_mem = '1GB'"),
    ("other", QUERY, "  materialized the subquery \n", "materialized the subquery"),
])
def test_what_each_type_stores(plpy, kind, original, optimized, stored):
    assert patterns.optimized_template(plpy, kind, original, optimized) == stored


@pytest.mark.parametrize("kind, original, optimized, what, hint", [
    ("rewrite", QUERY, "DELETE FROM t WHERE a = 1", "DELETE", "Give the rewritten query."),
    ("rewrite", QUERY, "CREATE TABLE x (a int)", "CREATE_TABLE", "Give the rewritten query."),
    ("rewrite", "UPDATE t SET b = 2 WHERE a = 1", QUERY, "SELECT", "Give the rewritten query."),
    ("hint", "UPDATE t SET b = 2 WHERE a = 1", QUERY, "SELECT", "Give the query with its /*+ ... */ hint."),
    ("index", QUERY, "SET work_mem = '1GB'", "SET", "Give the CREATE INDEX (or CREATE STATISTICS) statement."),
    ("index", QUERY, QUERY, "SELECT", "Give the CREATE INDEX (or CREATE STATISTICS) statement."),
    ("setting", QUERY, "CREATE INDEX ON t (a)", "CREATE_INDEX", "Give a SET, SET LOCAL or RESET statement"),
])
def test_a_statement_of_another_kind_is_refused(plpy, kind, original, optimized, what, hint):
    with raises_sql("22023") as info:
        patterns.optimized_template(plpy, kind, original, optimized)
    assert str(info.value) == f"an optimization of type {kind} cannot be a {what} statement"
    assert info.value.hint.startswith(hint)
    # Only a rewrite or a hint explains that it keeps the original's kind.
    assert (info.value.detail is not None) == (kind in ("rewrite", "hint"))


@pytest.mark.parametrize("optimized", [
    "RESET ALL", "SET ROLE postgres", "SET search_path = evil, public", "SET SESSION AUTHORIZATION postgres",
    "SET TRANSACTION READ WRITE", "SET session_replication_role = replica", "SET LOCAL Transaction_Read_Only = off",
    "SET client_encoding = 'SJIS'", "SET standard_conforming_strings = off",
])
def test_a_setting_cannot_change_who_runs_or_how_query_ml_reads(plpy, optimized):
    with raises_sql("22023") as info:
        patterns.optimized_template(plpy, "setting", QUERY, optimized)
    assert str(info.value) == "a setting optimization changes one planner or executor setting"
    assert "SET work_mem" in info.value.hint


def test_an_other_optimization_is_described_in_words(plpy):
    with raises_sql("22023") as info:
        patterns.optimized_template(plpy, "other", QUERY, " \n\t ")
    assert str(info.value) == "the optimization text is empty"
    limit = patterns.MAX_OTHER_CHARS
    assert patterns.optimized_template(plpy, "other", QUERY, f"  {'x' * limit}  ") == "x" * limit
    with raises_sql("22001") as info:
        patterns.optimized_template(plpy, "other", QUERY, "x" * (limit + 1))
    assert str(info.value) == f"the description of an other optimization is {limit + 1} characters long; " \
                              f"the most is {limit}"


@pytest.mark.parametrize("optimized, sqlstate, message", [
    ("SELECT * FROM t WHERE a = 1; SELECT 2", "42601", "expected one SQL statement, got 2"),
    ("", "22023", "query text is empty"),
    ("SELEC * FROM t", "42601", 'syntax error at or near "SELEC"'),
])
def test_an_optimized_text_that_does_not_parse_is_refused(plpy, optimized, sqlstate, message):
    with raises_sql(sqlstate) as info:
        patterns.optimized_template(plpy, "rewrite", QUERY, optimized)
    assert str(info.value) == message


# What an optimized text may reach ----------------------------------------------------------------

@pytest.mark.parametrize("optimized, added", [
    ("SELECT * FROM u WHERE a = 1", "the relation u"),
    ("SELECT * FROM t JOIN s.u USING (a) WHERE a = 1", "the relation s.u"),
    ("SELECT * FROM t WHERE a = 1 FOR UPDATE", "a row lock (FOR UPDATE/SHARE)"),
    ("SELECT * INTO x FROM t WHERE a = 1", "SELECT INTO"),
    ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "a DELETE"),
    ("SELECT * FROM t WHERE a = f(1)", "a call to f()"),
    ("SELECT * FROM t WHERE a = lower(1)", "a call to lower()"),      # unqualified: another schema's lower
    ("SELECT * FROM t WHERE a = public.f(1)", "a call to public.f()"),
    ("SELECT * FROM t WHERE a OPERATOR(myschema.=) 1", "the operator myschema.="),
    ("SELECT * FROM t WHERE a = 1::myschema.mytype", "the type myschema.mytype"),
    ("SELECT json_object('a': 1) FROM t WHERE a = 1", "the construct JsonKeyValue, the construct JsonObjectConstructor"),
])
def test_an_optimized_text_that_reaches_further_is_refused(plpy, optimized, added):
    with raises_sql("22023") as info:
        patterns.optimized_template(plpy, "rewrite", QUERY, optimized)
    assert str(info.value) == REACHES + added
    assert "adds no write, SELECT INTO or row lock" in info.value.detail
    assert info.value.hint.startswith("Write a function the original does not call as pg_catalog.f(...)")


def test_what_the_original_already_does_is_allowed(plpy):
    original = "SELECT * FROM t JOIN u USING (a) WHERE f(a) = 1 FOR SHARE"
    assert patterns.optimized_template(plpy, "rewrite", original, "SELECT * FROM u JOIN t USING (a) WHERE f(a) = 1 "
                                                                  "FOR SHARE") \
        == "SELECT * FROM u JOIN t USING (a) WHERE f(a) = $1 FOR SHARE"


def test_the_message_names_four_additions_at_most(plpy):
    with raises_sql("22023") as info:
        patterns.optimized_template(plpy, "rewrite", QUERY, "SELECT * FROM t, u, v, w, x WHERE a = 1 FOR UPDATE")
    assert str(info.value) == REACHES + "a row lock (FOR UPDATE/SHARE), the relation u, the relation v, the relation w"


def test_functions_of_pg_catalog_are_checked_by_the_server():
    """pg_catalog.f() is allowed unless the server says some overload of f changes something."""
    plpy = FakePlpy([("provolatile", lambda args: [{"name": n} for n in args[0] if n == "set_config"])])
    optimized = "SELECT pg_catalog.upper(b), pg_catalog.set_config('x', 'y', true) FROM t WHERE a = 1"
    with raises_sql("22023") as info:
        patterns.optimized_template(plpy, "rewrite", "SELECT upper(b) FROM t WHERE a = 1", optimized)
    assert str(info.value) == REACHES + "a call to pg_catalog.set_config()"
    assert plpy.queries[-1][1] == [["set_config", "upper"]]      # sorted, without the schema
    plpy.answers = [("provolatile", [])]
    assert patterns.optimized_template(plpy, "rewrite", QUERY, "SELECT * FROM t WHERE a = pg_catalog.abs(1)") \
        == "SELECT * FROM t WHERE a = pg_catalog.abs($1)"


def test_unqualified_operators_types_and_attributes_are_looked_up_in_the_server():
    """Those pg_catalog does not hold come back from the server, and are refused."""
    plpy = FakePlpy([("pg_catalog.pg_operator", [{"what": "the operator ===="}])])
    original = "SELECT o.id FROM orders o WHERE o.a = 1"
    with raises_sql("22023") as info:
        patterns.optimized_template(plpy, "rewrite", original,
                                    "SELECT o.id, o.note, b::int8 FROM orders o WHERE o.a ==== 1")
    assert str(info.value) == REACHES + "the operator ===="
    # Operators, types, attributes (o.note; o.id and a are the original's) and the original's relations.
    assert plpy.queries[-1][1] == [["===="], ["int8"], ["note"], ["orders"]]


def test_a_setting_is_not_checked_for_what_it_reaches(plpy):
    # No SQL runs: the fake would refuse it.
    assert patterns.optimized_template(plpy, "setting", QUERY, "SET enable_seqscan = off") == "SET enable_seqscan = off"


def test_effects_of_a_statement(plpy):
    found = patterns.effects(plpy, "WITH w AS (SELECT * FROM s.t JOIN u USING (id)) "
                                   "SELECT o.f, count(*)::int8, a OPERATOR(pg_catalog.+) 1, lower(b) FROM w o, v FOR SHARE")
    assert found == {
        "kind": "SelectStmt", "ctes": {"w"}, "writes": set(), "into": False, "locks": True,
        "functions": {"count", "lower"}, "relations": {"s.t", "u", "v", "w"}, "operators": {"pg_catalog.+"},
        "types": {"int8"}, "attributes": {"f"}, "columns": {"", "a", "b", "f"}, "json": set()}
    assert patterns.effects(plpy, "MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE")["writes"] \
        == {"MergeStmt"}


# What the row trigger derives --------------------------------------------------------------------

def test_what_the_trigger_computes_keeps_no_value(plpy):
    found = patterns.computed(plpy, "select * from t where a = 1 and b in (1, 2, 3)")
    assert found["fingerprint"] == fingerprints.fingerprint(plpy, "SELECT * FROM t WHERE a = 7 AND b IN (4)")
    assert found["normalized"] == "select * from t where a = $1 and b in ($2)"
    assert found["signature"] == "SELECT_?"
    assert found["sketch"] == similarity.sketch(patterns.features.extract(plpy, "SELECT * FROM t WHERE a = 2 "
                                                                               "AND b IN (5, 6)"))


def test_the_trigger_derives_every_column_from_the_texts():
    plpy = FakePlpy([TYPE_CHECKED])
    new = {"optimization_type": "rewrite", "normalized_query": "SELECT * FROM t WHERE a = 42",
           "optimized_template": "SELECT * FROM t WHERE a = 42 LIMIT 1", "source_id": None,
           "fingerprint": "forged", "signature": "forged", "parser_version": "forged", "tokens": [1], "lsh_keys": [2]}
    assert patterns.derive(plpy, {"new": new, "event": "INSERT"}) == "MODIFY"
    found = patterns.computed(plpy, "SELECT * FROM t WHERE a = 42")
    assert new["normalized_query"] == "SELECT * FROM t WHERE a = $1"
    assert new["optimized_template"] == "SELECT * FROM t WHERE a = $1 LIMIT 1"
    assert (new["fingerprint"], new["signature"], new["parser_version"], new["feature_version"]) == \
        (found["fingerprint"], found["signature"], PARSER_VERSION, similarity.FEATURE_VERSION)
    assert (new["tokens"], new["lsh_keys"]) == (list(found["sketch"].tokens), list(found["sketch"].keys))
    assert plpy.queries[0][1] == ["rewrite"]


def test_the_trigger_holds_a_plain_insert_to_the_same_rules():
    new = {"optimization_type": "rewrite", "normalized_query": QUERY, "optimized_template": "DELETE FROM t",
           "source_id": None}
    with raises_sql("22023"):
        patterns.derive(FakePlpy([TYPE_CHECKED]), {"new": new, "event": "INSERT"})


@pytest.mark.parametrize("event, active, dialect", [
    ("INSERT", True, "mysql"), ("UPDATE", True, "mysql"), ("UPDATE", False, "mysql")])
def test_the_trigger_takes_the_dialect_of_the_source(event, active, dialect):
    plpy = FakePlpy([TYPE_CHECKED, ("FROM query_ml.sources", [{"name": "shop", "dialect": "mysql", "is_active": active}])])
    new = {"optimization_type": "index", "normalized_query": QUERY, "optimized_template": "CREATE INDEX ON t (a)",
           "source_id": 3, "dialect": "postgresql"}
    patterns.derive(plpy, {"new": new, "event": event})
    assert new["dialect"] == dialect
    assert [args for query, args in plpy.queries if "query_ml.sources" in query] == [[3]]


def test_a_retired_source_takes_no_new_pattern():
    plpy = FakePlpy([TYPE_CHECKED,
                     ("FROM query_ml.sources", [{"name": "shop", "dialect": "mysql", "is_active": False}])])
    new = {"optimization_type": "index", "normalized_query": QUERY, "optimized_template": "CREATE INDEX ON t (a)",
           "source_id": 3}
    with raises_sql("55000") as info:
        patterns.derive(plpy, {"new": new, "event": "INSERT"})
    assert str(info.value) == 'source "shop" is retired'
    assert "ml_register_source" in info.value.hint


def test_an_unknown_source_is_left_to_the_foreign_key():
    plpy = FakePlpy([("FROM query_ml.sources", [])])
    assert patterns.source_dialect(plpy, 99, True) is None


# Storing ------------------------------------------------------------------------------------------

def test_nothing_is_written_before_the_arguments_are_checked():
    plpy = FakePlpy([("", [])])       # answers anything: what ran is in plpy.queries
    with raises_sql("22001"):
        patterns.store(plpy, QUERY, "index", "CREATE INDEX ON t (a)", "x" * 2001, None, False)
    assert not [query for query, _ in plpy.queries if "INSERT" in query or "source_for" in query]


def storing(existing, inserted):
    """A server where each look for the pattern answers the next of existing, and each INSERT the
    next of inserted (no row: ON CONFLICT DO NOTHING met a row stored meanwhile)."""
    looks, inserts = iter(existing), iter(inserted)
    return FakePlpy([TYPE_CHECKED, ("query_ml.source_for", [{"id": 4, "dialect": "postgresql"}]),
                     ("md5($5)", lambda args: next(looks)), ("INSERT INTO query_ml.patterns", lambda args: next(inserts))])


def store(plpy, description="why", shared=False):
    return patterns.store_found(plpy, "SELECT 1", "other", "cached it", description, "shop", shared)


@pytest.mark.parametrize("shared, source_id", [(False, 4), (True, None)])
def test_a_new_pattern_is_stored_in_its_source_or_shared(shared, source_id):
    plpy = storing([[]], [[{"id": 17, "normalized_query": "SELECT $1"}]])
    assert store(plpy, shared=shared) == (17, "SELECT $1", 4)
    looked, inserted = [args for query, args in plpy.queries if "md5($5)" in query or "INSERT" in query]
    assert looked == [patterns.computed(plpy, "SELECT 1")["fingerprint"], "postgresql", source_id, "other", "cached it"]
    assert inserted == ["SELECT 1", "other", "cached it", "why", source_id, "postgresql"]


@pytest.mark.parametrize("description", [None, "why"])
def test_the_same_pattern_again_is_found_and_left_as_it_was(description):
    plpy = storing([[{"id": 9, "normalized_query": "SELECT $1", "description": "why"}]], [])
    assert store(plpy, description) == (9, "SELECT $1", 4)
    assert plpy.messages == [] and not [query for query, _ in plpy.queries if "INSERT" in query]


def test_another_description_for_the_same_pattern_is_not_taken_and_says_so():
    plpy = storing([[{"id": 9, "normalized_query": "SELECT $1", "description": "first"}]], [])
    assert store(plpy, "second") == (9, "SELECT $1", 4)
    assert plpy.messages == [("notice", "query_ml: pattern 9 exists already; its description is kept",
                              {"hint": "ml_update_pattern(9, description => ...) changes it."})]


def test_a_pattern_stored_meanwhile_by_another_session_is_found_on_the_second_look():
    plpy = storing([[], [{"id": 11, "normalized_query": "SELECT $1", "description": None}]], [[]])
    assert store(plpy, None) == (11, "SELECT $1", 4)


def test_a_pattern_stored_and_removed_meanwhile_asks_for_another_try():
    plpy = storing([[], []], [[], []])
    with raises_sql("40001") as info:
        store(plpy)
    assert info.value.hint == "Call it again."


# Refingerprinting ---------------------------------------------------------------------------------

def test_refingerprint_reports_each_pattern():
    old = [{"id": 1, "fingerprint": "aa"}, {"id": 2, "fingerprint": "bb"}, {"id": 3, "fingerprint": "cc"},
           {"id": 4, "fingerprint": "dd"}]

    def update(args):
        return {1: [{"fingerprint": "aa"}], 2: [{"fingerprint": "b2"}],
                3: SPIError("duplicate key value violates unique constraint", "23505"),
                4: errors.error_class(plpy)("query text is empty")}[args[0]]

    plpy = FakePlpy([("ORDER BY id", old), ("query_ml.lock_stats", []), ("UPDATE query_ml.patterns", update)])
    assert patterns.refingerprint(plpy, False) == [
        (1, "aa", "aa", "unchanged"), (2, "bb", "b2", "updated"), (3, "cc", None, "conflict"), (4, "dd", None, "unparseable")]
    # The patterns of another parser or feature version, each touched once in id order.
    assert "parser_version <> " + plpy.quote_literal(PARSER_VERSION) in plpy.queries[0][0]
    assert [args for query, args in plpy.queries if query.startswith("UPDATE")] == [[1], [2], [3], [4]]


def test_refingerprint_with_force_takes_every_pattern():
    plpy = FakePlpy([("ORDER BY id", [])])
    assert patterns.refingerprint(plpy, True) == []
    assert "WHERE true" in plpy.queries[0][0]
