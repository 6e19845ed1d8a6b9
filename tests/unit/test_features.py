import json

from hypothesis import given
from hypothesis import strategies as st

from query_ml import features

from .fake_plpy import raises_sql

JOB_1A = """SELECT MIN(mc.note) AS production_note, MIN(t.title) AS movie_title
FROM company_type AS ct, info_type AS it, movie_companies AS mc, movie_info_idx AS mi_idx, title AS t
WHERE ct.kind = 'production companies' AND it.info = 'top 250 rank'
  AND mc.note NOT LIKE '%(as Metro-Goldwyn-Mayer Pictures)%' AND (mc.note LIKE '%(co-production)%' OR mc.note LIKE '%(presents)%')
  AND ct.id = mc.company_type_id AND t.id = mc.movie_id AND t.id = mi_idx.movie_id
  AND mc.movie_id = mi_idx.movie_id AND it.id = mi_idx.info_type_id"""


def test_job_query_resolves_aliases_to_tables(plpy):
    f = features.extract(plpy, JOB_1A)
    assert f.kind == "SELECT"
    assert f.tables == ["company_type", "info_type", "movie_companies", "movie_info_idx", "title"]
    assert f.joins == {"IMPLICIT": 4}
    assert "movie_companies.movie_id=title.id" in f.join_edges
    assert "company_type.id=movie_companies.company_type_id" in f.join_edges
    assert {"company_type.kind:eq", "movie_companies.note:like", "movie_companies.note:not_like", "?:or"} <= set(f.predicates)
    assert f.aggregates == ["min"]
    assert f.output_columns == 2


def test_explicit_joins_using_and_cross(plpy):
    f = features.extract(plpy, "select * from a join b using (id) left join c on c.a_id = a.id cross join d full join e on true")
    assert f.joins == {"CROSS": 1, "FULL": 1, "INNER": 1, "LEFT": 1}
    assert f.join_edges == ["a.id=b.id", "a.id=c.a_id"]


def test_predicate_kinds(plpy):
    f = features.extract(plpy, """select * from t where a in (1,2) and b not in (3) and c between 1 and 2
        and d is null and e is not null and f ilike 'x' and g ~ 'y' and h > 3 and i <> 4
        and j = any(array[1]) and exists (select 1 from u where u.t_id = t.id) and k in (select id from v)
        and lower(l) = 'z' and m is true""")
    assert set(f.predicates) >= {"t.a:in", "t.b:not_in", "t.c:between", "t.d:is_null", "t.e:is_not_null",
                                 "t.f:ilike", "t.g:regex", "t.h:range", "t.i:ne", "t.j:any", "?:exists",
                                 "t.k:in_subquery", "lower():eq", "t.m:is_true"}
    assert f.subqueries == 2


def test_ctes_are_not_tables_and_clauses_are_seen(plpy):
    f = features.extract(plpy, """with recent as (select * from orders where placed > now() - interval '1 day')
        select distinct customer_id, count(*) over () from recent group by 1 having count(*) > 1
        order by 1 limit 5 offset 2""")
    assert f.tables == ["orders"]
    assert f.ctes == 1
    assert set(f.clauses) >= {"WITH", "DISTINCT", "GROUP_BY", "HAVING", "ORDER_BY", "LIMIT", "OFFSET", "WINDOW"}


def test_set_operations_and_other_statements(plpy):
    assert features.extract(plpy, "select 1 union all select 2 except select 3").set_operations == ["EXCEPT", "UNION_ALL"]
    assert features.extract(plpy, "create index on t (a)").kind == "CREATE_INDEX"
    assert features.extract(plpy, "set work_mem = '1GB'").kind == "SET"
    assert features.extract(plpy, "alter system set work_mem = '1GB'").kind == "ALTER_SYSTEM"
    update = features.extract(plpy, "update t set a = 1 where id = 2 returning *")
    assert (update.kind, update.tables, update.clauses) == ("UPDATE", ["t"], ["RETURNING"])


def test_schema_qualified_names_are_kept(plpy):
    assert features.extract(plpy, "select * from sales.orders o where o.id = 1").predicates == ["sales.orders.id:eq"]


def test_bad_sql_is_rejected(plpy):
    with raises_sql("42601"):
        features.extract(plpy, "select from where")


# Secrets shaped like the values that matter (e-mail addresses); a plain word could be a table name.
@given(st.from_regex(r"[a-z0-9._-]{2,12}@[a-z0-9-]{2,12}\.(com|org|net)", fullmatch=True))
def test_no_literal_reaches_the_features(secret):
    from .fake_plpy import FakePlpy
    sql = (f"select * from users u join cards c on c.user_id = u.id where u.email = '{secret}' "
           f"and c.number like '{secret}%' and u.name in ('{secret}', 'x')")
    document = features.as_json(FakePlpy(), sql)
    assert secret not in document
    assert json.loads(document)["tables"] == ["cards", "users"]
