"""Recording an optimization: the checks made before anything is stored."""
import pytest

from query_ml import optimizations

from .fake_plpy import raises_sql


@pytest.mark.parametrize("estimate", [101, -1000.5, float("nan"), float("inf"), "lots"])
def test_impossible_estimates(plpy, estimate):
    with raises_sql("22023") as info:
        optimizations.record(plpy, "select 1", "select 1", "rewrite", estimate, None, None, False)
    assert "30 means 30% faster" in info.value.hint


@pytest.mark.parametrize("missing", ["original_query", "optimized", "optimization_type", "estimated_improvement"])
def test_required_values(plpy, missing):
    args = {"original_query": "select 1", "optimized": "select 1", "optimization_type": "rewrite",
            "estimated_improvement": 10}
    args[missing] = None
    with raises_sql("22004") as info:
        optimizations.record(plpy, args["original_query"], args["optimized"], args["optimization_type"],
                             args["estimated_improvement"], None, None, False)
    assert missing in str(info.value)
