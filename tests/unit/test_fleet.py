"""A fleet's hub: a member's optimization finds the hub's pattern of its identity."""
from query_ml import fleet

from .fake_plpy import FakePlpy

QUERY = "SELECT * FROM orders WHERE customer_id = $1"
TEMPLATE = "CREATE INDEX ON orders (customer_id)"


def test_a_stored_pattern_of_that_identity_is_the_members():
    plpy = FakePlpy(answers=[("check_optimization_type", [{"check_optimization_type": None}]),
                             ("source_for", [{"id": 3, "dialect": "postgresql"}]),
                             ("FROM query_ml.patterns", [{"id": 41, "normalized_query": QUERY, "description": "mine"}])])
    assert fleet.pattern_for(plpy, QUERY, "index", TEMPLATE, "local", False) == 41
    # Looked up under the member's source, by name, with the fingerprint of the normalized text, and
    # with no description: the hub's own is kept, unremarked.
    lookup = [list(args) for query, args in plpy.queries if "FROM query_ml.patterns" in query][0]
    assert ["local"] in [list(args) for query, args in plpy.queries if "source_for" in query]
    assert lookup == ["efc99b773ba855cd", "postgresql", 3, "index", TEMPLATE]
    assert plpy.messages == []
    assert not any(query.lstrip().startswith("INSERT") for query, _ in plpy.queries)


def test_a_shared_pattern_is_looked_up_without_a_source():
    plpy = FakePlpy(answers=[("check_optimization_type", [{"check_optimization_type": None}]),
                             ("source_for", [{"id": 3, "dialect": "postgresql"}]),
                             ("FROM query_ml.patterns", [{"id": 7, "normalized_query": QUERY, "description": None}])])
    assert fleet.pattern_for(plpy, QUERY, "index", TEMPLATE, "local", True) == 7
    lookup = [args for query, args in plpy.queries if "FROM query_ml.patterns" in query][0]
    assert lookup[2] is None        # the source id of a shared pattern
