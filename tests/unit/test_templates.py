"""Carrying literals between a query and a rewrite template."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from query_ml import fingerprints, literals, templates

from .fake_plpy import FakePlpy, raises_sql

ORIGINAL = ("SELECT * FROM orders o WHERE o.customer_id = 42 AND o.status IN ('paid', 'shipped') "
            "AND o.total > -5.5 AND o.region = 42")
OPTIMIZED = ("SELECT * FROM orders o WHERE o.region = 42 AND o.customer_id = 42 "
             "AND o.status IN ('paid', 'shipped') AND o.total > -5.5 ORDER BY o.id LIMIT 100")


def template(plpy):
    return templates.make_template(plpy, ORIGINAL, OPTIMIZED)


def test_literals_of_the_original_become_its_parameters(plpy):
    # A whole IN list is one value: $2.
    assert template(plpy) == ("SELECT * FROM orders o WHERE o.region = $4 AND o.customer_id = $1 "
                              "AND o.status IN ($2) AND o.total > $3 ORDER BY o.id LIMIT 100")


def test_no_literal_of_the_original_is_kept(plpy):
    kept = template(plpy)
    for literal in ("42", "'paid'", "'shipped'", "5.5"):
        assert literal not in kept


def test_apply_carries_new_literals_and_a_longer_list(plpy):
    pattern = fingerprints.normalize(plpy, ORIGINAL)
    applied = templates.apply(plpy, template(plpy), pattern,
                              "select * from orders o where o.customer_id = 7 and o.status in ('a','b','c') "
                              "and o.total > 3 and o.region = 9", 1)
    assert applied == ("SELECT * FROM orders o WHERE o.region = 9 AND o.customer_id = 7 "
                       "AND o.status IN ('a', 'b', 'c') AND o.total > 3 ORDER BY o.id LIMIT 100")


def test_apply_refuses_a_query_whose_values_sit_elsewhere(plpy):
    pattern = fingerprints.normalize(plpy, ORIGINAL)
    with raises_sql("22023") as info:
        templates.apply(plpy, template(plpy), pattern,
                        "select * from orders o where o.customer_id = 7 and o.status = 'a' and o.total > 3 "
                        "and o.region = 9", 1)
    assert "does not fit pattern 1" in str(info.value)
    assert "Value 2 of the pattern is a list" in info.value.detail


def test_typed_literals_hints_and_existing_parameters(plpy):
    original = "SELECT * FROM events WHERE day >= DATE '2024-01-01' AND kind = $1 AND n = 3"
    optimized = "/*+ IndexScan(events) */ SELECT * FROM events WHERE kind = $1 AND day >= DATE '2024-01-01' AND n = 3"
    made = templates.make_template(plpy, original, optimized)
    # The original's own $1 is its second value: the template says $2 for it.
    assert made == "/*+ IndexScan(events) */ SELECT * FROM events WHERE kind = $2 AND day >= DATE $1 AND n = $3"
    applied = templates.apply(plpy, made, fingerprints.normalize(plpy, original),
                              "SELECT * FROM events WHERE day >= DATE '2025-06-30' AND kind = $1 AND n = 8", 1)
    assert applied == "/*+ IndexScan(events) */ SELECT * FROM events WHERE kind = $1 AND day >= DATE '2025-06-30' AND n = 8"


def test_lists_of_any_length_make_one_template(plpy):
    a = templates.make_template(plpy, "select * from t where a in (1, 2) and b = 3", "select * from t where b = 3 and a in (1, 2)")
    b = templates.make_template(plpy, "select * from t where a in (7) and b = 9", "select * from t where b = 9 and a in (7)")
    assert a == b == "select * from t where b = $2 and a in ($1)"


def test_part_of_a_list_is_refused(plpy):
    with raises_sql("22023") as info:
        templates.make_template(plpy, "select * from t where a in (1, 2)", "select * from t where a = 1")
    assert "part of a list" in str(info.value)


def test_a_value_quoted_differently_still_maps(plpy):
    made = templates.make_template(plpy, "select * from t where id = 42", "select * from t where id = '42' limit 1")
    assert made == "select * from t where id = $1 limit 1"


def test_constants_of_the_rewrite_stay(plpy):
    made = templates.make_template(plpy, "select * from t where a = 1",
                                   "select * from t where a = 1 and b > now() - interval '1 day'")
    assert made == "select * from t where a = $1 and b > now() - interval '1 day'"


def test_comments_do_not_reach_the_template(plpy):
    made = templates.make_template(plpy, "select * from t where a = 1", "select * from t /* ticket 4711 */ where a = 1")
    assert "4711" not in made


@pytest.mark.parametrize("bad", ["select * from t where a = ", "select 1; select 2"])
def test_an_optimized_query_that_does_not_parse(plpy, bad):
    with raises_sql("42601"):
        templates.make_template(plpy, "select * from t where a = 1", bad)


@pytest.mark.parametrize("theirs, ours", [
    ("'S'", "$$S$$"), ("'S'", "$t$S$t$"), ("'a''b'", "E'a\\'b'"), ("42", "'42'"), ("1", "1.0"), ("-5", "- 5"),
    ("'x'", "N'x'"), ("'2024-01-01'", "DATE '2024-01-01'"), ("true", "'true'::boolean"),
])
def test_a_value_spelled_differently_is_still_the_original_s(plpy, theirs, ours):
    made = templates.make_template(plpy, f"select * from t where a = {theirs} and b = 7",
                                   f"select * from t where b = 7 and a = {ours} limit 5")
    assert made.replace("NCHAR ", "").replace("DATE ", "").replace("::boolean", "") \
        == "select * from t where b = $2 and a = $1 limit 5"


def test_a_literal_of_an_index_becomes_the_query_s_parameter(plpy):
    made = templates.make_template(plpy, "SELECT * FROM accounts WHERE note = 'x' AND id > 5",
                                   "CREATE INDEX ON accounts (id) WHERE note = 'x'")
    assert made == "CREATE INDEX ON accounts (id) WHERE note = $1"
    # An option no parameter can stand for belongs to the optimization.
    made = templates.make_template(plpy, "SELECT * FROM accounts WHERE note = 'x'",
                                   "CREATE INDEX ON accounts (id) WITH (fillfactor = 70) WHERE note = 'x'")
    assert made == "CREATE INDEX ON accounts (id) WITH (fillfactor = 70) WHERE note = $1"


@pytest.mark.parametrize("original, optimized", [
    ("select * from t where a in (1, 2, 3)", "select * from t where a = any('{1,2,3}')"),
    ("select * from t where a in ('x y', 'z')", "select * from t where a = any('{\"x y\",z}'::text[])"),
    ("select * from t where email = 'bob@example.com'", "select * from t where email like 'bob@example.com%'"),
    ("select * from t where note = 'secret'", "comment on table t is 'the secret'"),
])
def test_a_value_inside_a_literal_of_the_rewrite_is_refused(plpy, original, optimized):
    with raises_sql("22023") as info:
        templates.make_template(plpy, original, optimized)
    assert "ARRAY[...] or IN (...)" in info.value.hint
    for secret in ("bob@", "secret", "x y"):
        assert secret not in f"{info.value} {info.value.detail} {info.value.hint}"


@pytest.mark.parametrize("optimized", [
    "select * from t where status = 'paid' and kind <> 'unpaid'",
    "select * from t where status = 'paid' and at > now() - interval '1 day'",
    "select * from t where status = 'paid' limit 10",
])
def test_a_constant_that_only_looks_like_a_value_stays(plpy, optimized):
    assert "$1" in templates.make_template(plpy, "select * from t where status = 'paid' and n = 1", optimized)


@pytest.mark.parametrize("original, optimized", [
    (ORIGINAL, OPTIMIZED),
    ("SELECT * FROM events WHERE day >= DATE '2024-01-01' AND kind = $1 AND n = 3",
     "/*+ IndexScan(events) */ SELECT * FROM events WHERE kind = $1 AND day >= DATE '2024-01-01' AND n = 3"),
    ("SELECT * FROM accounts WHERE note = N'x' AND id > -5", "CREATE INDEX ON accounts (id) WHERE note = 'x'"),
])
def test_a_template_is_its_own_template(plpy, original, optimized):
    # The row trigger derives the template again from the stored texts: nothing may change.
    made = templates.make_template(plpy, original, optimized)
    assert templates.make_template(plpy, fingerprints.normalize(plpy, original), made) == made


def test_apply_keeps_a_negative_value_apart_from_an_operator(plpy):
    original = "SELECT * FROM orders WHERE id > 100 -5 AND status = 'paid'"
    made = templates.make_template(plpy, original, original + " ORDER BY id")
    assert made == "SELECT * FROM orders WHERE id > $1 -$2 AND status = $3 ORDER BY id"
    applied = templates.apply(plpy, made, fingerprints.normalize(plpy, original),
                              "SELECT * FROM orders WHERE id > 100 - -7 AND status = 'open'", 1)
    assert applied == "SELECT * FROM orders WHERE id > 100 - -7 AND status = 'open' ORDER BY id"
    for sql in ("DELETE FROM orders WHERE id > 100 -5 AND status = 'paid'",
                "UPDATE orders SET note = 'x' WHERE id > 100 -5 AND status = 'paid'"):
        made = templates.make_template(plpy, sql, sql + " RETURNING id")
        applied = templates.apply(plpy, made, fingerprints.normalize(plpy, sql),
                                  sql.replace("-5", "- -7").replace("'paid'", "'it''s -- /* $$'"), 1)
        assert applied.endswith("id > 100 - -7 AND status = 'it''s -- /* $$' RETURNING id")


def test_apply_refuses_another_type_size_or_column_position(plpy):
    original = "SELECT a::varchar(20), b FROM t WHERE c = 1 ORDER BY 2"
    made = templates.make_template(plpy, original, original + " LIMIT 5")
    pattern = fingerprints.normalize(plpy, original)
    same_shape = original.replace("c = 1", "c = 3")
    assert templates.apply(plpy, made, pattern, same_shape, 1) == same_shape + " LIMIT 5"
    for other in (original.replace("20", "30"), original.replace("ORDER BY 2", "ORDER BY 1")):
        with raises_sql("22023") as info:
            templates.apply(plpy, made, pattern, other, 1)
        assert "a type size or a column position differs" in str(info.value)


def test_apply_refuses_to_return_another_statement(plpy):
    # A template stored by hand (the row trigger keeps its parameters) that puts a list where one value stood.
    with raises_sql("22023") as info:
        templates.apply(plpy, "SELECT a, $1 FROM t", "SELECT a FROM t WHERE a IN ($1)",
                        "SELECT a FROM t WHERE a IN (1, 2)", 7)
    assert "pattern 7 cannot be applied" in str(info.value)


# A rewrite, and queries of its pattern whose values are as awkward as values get: negative
# numbers after an operator, quotes, comment starts, dollar quotes, backslashes, great lengths.
PATTERN = "SELECT id FROM orders WHERE id > 100 -5 AND status = 'paid' AND note <> 'x' AND total*2 < 7"
REWRITE = "SELECT id FROM orders WHERE note <> 'x' AND total*2 < 7 AND status = 'paid' AND id > 100 -5 ORDER BY id"
QUERY = "SELECT id FROM orders WHERE id > {} - {} AND status = {} AND note <> {} AND total*{} < {}"
REWRITE_ORDER = [3, 4, 5, 2, 0, 1]      # where the template puts each value of QUERY


@st.composite
def numbers(draw):
    """(the value the parser reads, one way to write it)."""
    n = draw(st.one_of(st.integers(-10**6, 10**6), st.integers(-10**30, 10**30)))
    return str(n), draw(st.sampled_from([str(n)] + ([f"- {-n}", f"-({-n})"] if n < 0 else [])))


@st.composite
def strings(draw):
    text = draw(st.one_of(st.text(alphabet="'\"\\-/*$ ab\n", max_size=12),
                          st.integers(1, 3000).map(lambda n: "'-- /*$$\\" * n)))
    styles = ["'" + text.replace("'", "''") + "'", "E'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"]
    if "$" not in text:
        styles.append(f"$q${text}$q$")
    return text, draw(st.sampled_from(styles))


values = st.tuples(numbers(), numbers(), strings(), strings(), numbers(), numbers())


@settings(max_examples=300, deadline=None)
@given(values=values)
def test_applied_sql_carries_each_value_to_its_place_and_nothing_else(values):
    plpy = FakePlpy()
    template = templates.make_template(plpy, PATTERN, REWRITE)
    applied = templates.apply(plpy, template, fingerprints.normalize(plpy, PATTERN),
                              QUERY.format(*(spelled for _, spelled in values)), 1)
    assert [slot.decoded for slot in literals.read(plpy, applied).slots] == [values[i][0] for i in REWRITE_ORDER]
    assert fingerprints.fingerprint(plpy, applied) == fingerprints.fingerprint(plpy, REWRITE)
