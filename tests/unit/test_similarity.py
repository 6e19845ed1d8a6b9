"""Tokens, index keys and the weighted Jaccard similarity."""
from hypothesis import given
from hypothesis import strategies as st

from query_ml import features, similarity

from .fake_plpy import FakePlpy

A = "select min(t.title) from title t join movie_info mi on mi.movie_id = t.id where mi.info like 'x%' and t.year > 2000"
B = "select min(t.title) from title t join movie_info mi on mi.movie_id = t.id where mi.info like 'y%' and t.year > 1990 and t.kind = 1"
KEYS = (-2137605001, -1615847742, -1610984520)
C = "select count(*) from orders o where o.status = 'x'"


def sig(sql):
    return similarity.sketch(features.extract(FakePlpy(), sql))


def test_identical_structure_is_fully_similar():
    assert similarity.similarity(sig(A).tokens, sig(A.replace("'x%'", "'z%'")).tokens) == 1.0


def test_close_structures_score_above_distant_ones():
    a, b, c = sig(A), sig(B), sig(C)
    assert 0.6 < similarity.similarity(a.tokens, b.tokens) < 1.0
    assert similarity.similarity(a.tokens, c.tokens) < 0.2


def test_similarity_is_symmetric_and_bounded():
    a, b = sig(A).tokens, sig(B).tokens
    assert similarity.similarity(a, b) == similarity.similarity(b, a)
    assert similarity.similarity([], []) == 0.0


def test_the_same_table_set_always_shares_a_key():
    assert set(sig(A).keys) & set(sig("select * from movie_info m, title t where m.note = 'q'").keys)


def test_codes_are_stable_across_sessions():
    # A change here changes stored tokens: bump FEATURE_VERSION with it.
    assert similarity._code("table", "title") == -636350671
    keys = similarity.sketch(features.extract(FakePlpy(), "select * from a join b on b.a_id = a.id where a.x = 1")).keys
    assert keys[:3] == KEYS
    assert similarity.FEATURE_VERSION == 1


def test_tokens_and_keys_are_int32():
    s = sig(B)
    assert all(-2**31 <= v < 2**31 for v in s.tokens + s.keys)
    assert len(s.keys) == similarity.BANDS + 1


@given(st.lists(st.integers(-2**31, 2**31 - 1), max_size=30), st.lists(st.integers(-2**31, 2**31 - 1), max_size=30))
def test_similarity_lies_between_zero_and_one(a, b):
    assert 0.0 <= similarity.similarity(a, b) <= 1.0
