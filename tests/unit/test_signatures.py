import pytest

from query_ml import signatures


@pytest.mark.parametrize("sql, expected", [
    # The two examples of the original product.
    ("SELECT * FROM users WHERE id = 123", "SELECT_?"),
    ("SELECT u.*, o.* FROM users u INNER JOIN orders o ON u.id = o.user_id", "SELECT_INNER_JOIN_?"),
    ("select * from a, b where a.id = b.a_id", "SELECT_INNER_JOIN_?"),
    ("select a.x, count(*) from a left join b on b.a = a.id group by 1 order by 2 desc limit 3",
     "SELECT_LEFT_JOIN_AGGREGATE_GROUP_BY_ORDER_BY_LIMIT_?"),
    ("with c as (select 1) select distinct * from c where exists (select 1)", "SELECT_CTE_DISTINCT_SUBQUERY_?"),
    ("select 1 union select 2", "SELECT_UNION_?"),
    ("insert into t values (1)", "INSERT_?"),
    ("delete from t where id = 1", "DELETE_?"),
    ("create index on t (a)", "CREATE_INDEX_?"),
])
def test_signature(plpy, sql, expected):
    assert signatures.signature(plpy, sql) == expected
