"""A short readable shape of a query, such as SELECT_INNER_JOIN_?, for display."""
from . import features as _features

_JOIN_ORDER = ("INNER", "LEFT", "RIGHT", "FULL", "CROSS")
_TRAILING = ("GROUP_BY", "HAVING", "WINDOW")


def signature(plpy, sql):
    return from_features(_features.extract(plpy, sql))


def from_features(f):
    joins = dict(f.joins)
    joins["INNER"] = joins.get("INNER", 0) + joins.pop("IMPLICIT", 0)  # a comma join is an inner join
    parts = [f.kind]
    if f.ctes:
        parts.append("CTE")
    if "DISTINCT" in f.clauses:
        parts.append("DISTINCT")
    parts += [f"{kind}_JOIN" for kind in _JOIN_ORDER if joins.get(kind)]
    if f.subqueries:
        parts.append("SUBQUERY")
    if f.aggregates:
        parts.append("AGGREGATE")
    parts += [clause for clause in _TRAILING if clause in f.clauses]
    parts += f.set_operations
    parts += [clause for clause in ("ORDER_BY", "LIMIT") if clause in f.clauses]
    return "_".join(parts + ["?"])
