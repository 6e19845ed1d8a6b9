"""What Python does for matching: score similar patterns, and apply a pattern to a query.  The
candidates and the pattern rows are canned; ml_match_pattern itself (SQL) is tested against a
server in tests/server/test_matching.py."""
from query_ml import features, fingerprints, matching, similarity

from .fake_plpy import FakePlpy, raises_sql

QUERY = "SELECT * FROM orders o WHERE o.customer_id = 5 AND o.status = 'new'"


def sketch(sql):
    return similarity.sketch(features.extract(FakePlpy(), sql))


def candidates(*sqls):
    return [{"id": n, "tokens": list(sketch(sql).tokens)} for n, sql in enumerate(sqls, start=1)]


def test_similar_scores_rank_the_candidates_best_first_and_cut_at_the_limit():
    rows = candidates("SELECT * FROM customers c WHERE c.name = 'x'",
                      "SELECT * FROM orders o WHERE o.customer_id = 9 AND o.status = 'old'",
                      "SELECT * FROM orders o WHERE o.customer_id = 9")
    plpy = FakePlpy([("similarity_candidates", rows)])
    scores = matching.similar_scores(plpy, QUERY, None, None, 2)
    assert [pid for pid, _ in scores] == [2, 3]
    assert scores[0][1] == 1.0 and 0 < scores[1][1] < 1
    keys, source, dialect = plpy.queries[0][1][:3]
    assert keys == list(sketch(QUERY).keys) and (source, dialect) == (None, None)


def test_no_query_or_no_key_scores_nothing():
    assert matching.similar_scores(FakePlpy(), None, None, None, 5) == []
    assert matching.similar_scores(FakePlpy(), "SELECT 1", None, None, 5) == []     # asks no candidates


def pattern(**fields):
    return {"id": 7, "fingerprint": fingerprints.fingerprint(FakePlpy(), QUERY), "optimization_type": "index",
            "optimized_template": "CREATE INDEX ON orders (customer_id)", "normalized_query": QUERY,
            "created_by": "alice", **fields}


def test_apply_refuses_a_missing_pattern_a_description_and_another_query():
    with raises_sql("P0002") as info:
        matching.apply(FakePlpy([("FROM query_ml.patterns", [])]), 7, QUERY, "public")
    assert str(info.value) == "pattern 7 does not exist"
    with raises_sql("22023") as info:
        matching.apply(FakePlpy([("FROM query_ml.patterns", [pattern(optimization_type="other")])]), 7, QUERY, "")
    assert str(info.value) == "pattern 7 holds no SQL to apply"
    with raises_sql("22023") as info:
        matching.apply(FakePlpy([("FROM query_ml.patterns", [pattern()])]), 7, "SELECT 1", "")
    assert str(info.value) == "the query does not fit pattern 7"


def test_a_suggestion_reads_its_pattern_once():
    plpy = FakePlpy([("FROM query_ml.patterns", [pattern(optimization_type="other")])])
    assert matching.concrete(plpy, 7, QUERY, "exact", "") is None
    assert [q for q, _ in plpy.queries if "FROM query_ml.patterns" in q] != [] and len(plpy.queries) == 1


def test_a_similar_match_gets_no_template_with_parameters():
    plpy = FakePlpy([("FROM query_ml.patterns", [pattern(optimized_template="SELECT * FROM orders WHERE id = $1")])])
    assert matching.concrete(plpy, 7, QUERY, "similar", "") is None
