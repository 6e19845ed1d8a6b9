import json
import re

import pytest

from query_ml import fingerprints

from .fake_plpy import raises_sql


def test_literal_variants_share_a_fingerprint(plpy):
    a = fingerprints.fingerprint(plpy, "SELECT * FROM orders WHERE customer_id = 42 AND status IN ('a', 'b')")
    b = fingerprints.fingerprint(plpy, "select *  from orders where customer_id = 7 and status in ('c')")
    assert a == b
    assert re.fullmatch(r"[0-9a-f]{16}", a)


def test_structure_changes_the_fingerprint(plpy):
    a = fingerprints.fingerprint(plpy, "SELECT * FROM orders WHERE customer_id = 42")
    assert a != fingerprints.fingerprint(plpy, "SELECT * FROM orders WHERE product_id = 42")
    assert a != fingerprints.fingerprint(plpy, "SELECT * FROM orders WHERE customer_id = 42 ORDER BY id")


def test_fingerprint_rejects_bad_input(plpy):
    with raises_sql("42601"):
        fingerprints.fingerprint(plpy, "SELEC 1")
    with raises_sql("42601"):
        fingerprints.fingerprint(plpy, "select 1; select 2")
    with raises_sql("22023"):
        fingerprints.fingerprint(plpy, "")


def test_normalize_replaces_sensitive_literals(plpy):
    sql = ("/* for bob@example.com */ SELECT * FROM payments WHERE email = 'bob@example.com' "
           "AND card = 4111111111111111 AND paid_on > DATE '2024-02-29' AND note = $$x$$ -- 555-0100\n")
    normalized = fingerprints.normalize(plpy, sql)
    for secret in ("bob@example.com", "4111111111111111", "2024-02-29", "555-0100", "$$x$$"):
        assert secret not in normalized
    assert normalized == "SELECT * FROM payments WHERE email = $1 AND card = $2 AND paid_on > DATE $3 AND note = $4"


def test_normalize_keeps_existing_parameters_and_hints(plpy):
    normalized = fingerprints.normalize(plpy, "/*+ IndexScan(t) */ select * from t where a = $1 and b = 2;")
    assert normalized == "/*+ IndexScan(t) */ select * from t where a = $1 and b = $2"


def test_normalize_makes_one_value_of_a_list(plpy):
    short = fingerprints.normalize(plpy, "select * from t where a in (1, 2) and b = any(array[3, 4, 5]) and c = 6")
    long = fingerprints.normalize(plpy, "select * from t where a in (7) and b = any(array[8]) and c = 9")
    assert short == long == "select * from t where a in ($1) and b = any(array[$2]) and c = $3"


def test_normalized_text_has_the_same_fingerprint(plpy):
    sql = "SELECT a FROM t WHERE b = 'x' AND c IN (1, 2, 3) LIMIT 10"
    assert fingerprints.fingerprint(plpy, sql) == fingerprints.fingerprint(plpy, fingerprints.normalize(plpy, sql))


def test_parser_version_names_pglast_and_grammar(plpy):
    assert re.fullmatch(r"pglast 8\.\d+ \(PostgreSQL 18\.\d+ grammar\)", fingerprints.parser_version(plpy))


# libpg_query's own test vectors (branch 17).  pglast 8 carries the PostgreSQL 18
# grammar, whose fingerprints differ for exactly these inputs: table aliases,
# MERGE, a transaction mode and two utility statements.  This is why every
# stored fingerprint records its parser version.
CHANGED_SINCE_17 = {
    "SELECT * FROM x AS a, y AS b", "SELECT * FROM y AS a, x AS b", "SELECT * FROM a AS b",
    "START TRANSACTION READ WRITE",
    "CREATE TEMPORARY TABLE my_temp_table (test_id integer NOT NULL) ON COMMIT DROP",
    "ALTER TABLE ALL IN TABLESPACE foo OWNED BY bar, quux SET TABLESPACE fred NOWAIT",
}


@pytest.mark.corpus
def test_libpg_query_vectors(corpora):
    from pglast import parser
    vectors = json.loads((corpora / "libpg_query_fingerprint" / "fingerprint_vectors.json").read_text())
    differ = {v["input"] for v in vectors if parser.fingerprint(v["input"]) != v["expected_hash"]}
    merges = {text for text in differ if text.upper().startswith("MERGE")}
    assert differ - merges == CHANGED_SINCE_17
    assert len(merges) == 2
    assert len(vectors) - len(differ) == 70
