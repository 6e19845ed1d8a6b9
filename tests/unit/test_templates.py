"""Carrying literals between a query and a rewrite template."""
import pytest

from query_ml import fingerprints, templates

from .fake_plpy import raises_sql

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
