"""A deterministic synthetic workload: queries over a schema of many tables.

Each query joins a few tables along foreign keys, filters on a few columns with
various predicate kinds, and may aggregate, group, order and limit.  Its
literals are random; its structure decides the fingerprint.  variant() keeps
the structure and changes the literals (an exact match); mutate() changes a
little of the structure (a similarity match).
"""
import random
import string

TABLES = 300
COLUMNS = 12
KINDS = ("eq", "range", "like", "in", "between", "is_null", "ne")


def _literal(rng, kind):
    if kind == "like":
        return "'%" + "".join(rng.choices(string.ascii_lowercase, k=5)) + "%'"
    if rng.random() < 0.5:
        return str(rng.randrange(1, 100000))
    return "'" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=8)) + "'"


def _predicate(rng, alias, column, kind):
    col = f"{alias}.c{column}"
    if kind == "eq":
        return f"{col} = {_literal(rng, kind)}"
    if kind == "ne":
        return f"{col} <> {_literal(rng, kind)}"
    if kind == "range":
        # The operator is part of the structure (it changes the fingerprint), so the column picks it.
        return f"{col} {('<', '>', '<=', '>=')[column % 4]} {rng.randrange(1, 10**6)}"
    if kind == "like":
        return f"{col} LIKE {_literal(rng, kind)}"
    if kind == "in":
        return f"{col} IN ({', '.join(_literal(rng, kind) for _ in range(rng.randrange(1, 5)))})"
    if kind == "between":
        low = rng.randrange(1, 10**5)
        return f"{col} BETWEEN {low} AND {low + rng.randrange(1, 1000)}"
    return f"{col} IS NULL"


def shape(rng):
    """A random query structure (no literals yet)."""
    count = rng.choice([1, 1, 2, 2, 3, 3, 4, 4, 5, 6])
    tables = [rng.randrange(TABLES)]
    while len(tables) < count:
        candidate = (rng.choice(tables) + rng.randrange(1, 15)) % TABLES
        if candidate not in tables:
            tables.append(candidate)
    joins = [(i, rng.randrange(i), rng.randrange(1, COLUMNS)) for i in range(1, count)]
    predicates = sorted({(rng.randrange(count), rng.randrange(1, COLUMNS), rng.choice(KINDS))
                         for _ in range(rng.randrange(1, 5))})
    return {
        "tables": tables, "joins": joins, "predicates": predicates,
        "aggregate": rng.choice([None, None, "min", "count", "sum", "max"]),
        "group": rng.random() < 0.2, "order": rng.random() < 0.3, "limit": rng.random() < 0.3,
    }


def render(rng, s):
    """The SQL text of a structure, with fresh random literals."""
    aliases = [f"a{i}" for i in range(len(s["tables"]))]
    if s["aggregate"] == "count":
        select = "count(*)"
    elif s["aggregate"]:
        select = f"{s['aggregate']}(a0.c2)"
    else:
        select = "a0.*"
    if s["group"]:
        select = f"a0.c3, {select if s['aggregate'] else 'count(*)'}"
    sql = [f"SELECT {select} FROM t{s['tables'][0]:03d} a0"]
    for i, parent, column in s["joins"]:
        sql.append(f"JOIN t{s['tables'][i]:03d} {aliases[i]} ON {aliases[i]}.c{column} = {aliases[parent]}.id")
    where = [_predicate(rng, aliases[t], c, k) for t, c, k in s["predicates"]]
    sql.append("WHERE " + " AND ".join(where))
    if s["group"]:
        sql.append("GROUP BY a0.c3")
    if s["order"]:
        sql.append("ORDER BY 1")
    if s["limit"]:
        sql.append(f"LIMIT {rng.randrange(1, 500)}")
    return " ".join(sql)


def mutate(rng, s):
    """A near neighbour of a structure: one predicate changed, added or removed."""
    s = dict(s, predicates=list(s["predicates"]))
    choice = rng.random()
    if choice < 0.4 and len(s["predicates"]) > 1:
        s["predicates"].pop(rng.randrange(len(s["predicates"])))
    elif choice < 0.8:
        s["predicates"].append((rng.randrange(len(s["tables"])), rng.randrange(1, COLUMNS), rng.choice(KINDS)))
    else:
        s["order"] = not s["order"]
    s["predicates"] = sorted(set(s["predicates"]))
    return s


def shapes(count, seed=7):
    rng = random.Random(seed)
    return [shape(rng) for _ in range(count)]
