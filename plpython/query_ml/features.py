"""Structural features of one statement, read from pglast's parse tree.

They describe the shape of a query (statement kind, tables, joins and their
keys, predicate kinds per column, aggregates, subqueries, clauses) and never a
literal: constants only ever count as "a value".
"""
import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from .parsing import parse_tree

KINDS = {
    "SelectStmt": "SELECT", "InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE", "IndexStmt": "CREATE_INDEX", "CreateStmt": "CREATE_TABLE",
    "CreateTableAsStmt": "CREATE_TABLE_AS", "ViewStmt": "CREATE_VIEW", "VariableSetStmt": "SET",
    "ExplainStmt": "EXPLAIN", "CopyStmt": "COPY", "TransactionStmt": "TRANSACTION",
    "VacuumStmt": "VACUUM", "DropStmt": "DROP", "AlterTableStmt": "ALTER_TABLE",
}
AGGREGATES = frozenset("""
    avg bit_and bit_or bit_xor bool_and bool_or count every max min sum string_agg array_agg
    json_agg jsonb_agg json_object_agg jsonb_object_agg xmlagg stddev stddev_pop stddev_samp
    variance var_pop var_samp corr covar_pop covar_samp regr_avgx regr_avgy regr_count
    regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy percentile_cont percentile_disc
    mode rank dense_rank percent_rank cume_dist range_agg range_intersect_agg any_value
""".split())
OPERATORS = {
    "=": "eq", "<>": "ne", "!=": "ne", "<": "range", ">": "range", "<=": "range", ">=": "range",
    "~": "regex", "~*": "regex", "!~": "regex", "!~*": "regex",
    "~~": "like", "!~~": "not_like", "~~*": "ilike", "!~~*": "not_ilike",
    "@>": "contains", "<@": "contains", "&&": "overlaps", "@@": "text_search",
}
A_EXPR_KINDS = {
    "AEXPR_LIKE": "like", "AEXPR_ILIKE": "ilike", "AEXPR_SIMILAR": "similar", "AEXPR_IN": "in",
    "AEXPR_BETWEEN": "between", "AEXPR_NOT_BETWEEN": "not_between", "AEXPR_BETWEEN_SYM": "between",
    "AEXPR_NOT_BETWEEN_SYM": "not_between", "AEXPR_OP_ANY": "any", "AEXPR_OP_ALL": "all",
    "AEXPR_DISTINCT": "distinct", "AEXPR_NOT_DISTINCT": "not_distinct",
}
JOIN_TYPES = {"JOIN_INNER": "INNER", "JOIN_LEFT": "LEFT", "JOIN_RIGHT": "RIGHT", "JOIN_FULL": "FULL"}
SUBLINKS = {"EXISTS_SUBLINK": "exists", "ANY_SUBLINK": "in_subquery", "ALL_SUBLINK": "all_subquery",
            "EXPR_SUBLINK": "scalar_subquery", "ARRAY_SUBLINK": "array_subquery"}


@dataclass
class Features:
    kind: str
    tables: list = field(default_factory=list)
    joins: dict = field(default_factory=dict)
    join_edges: list = field(default_factory=list)
    predicates: list = field(default_factory=list)
    aggregates: list = field(default_factory=list)
    functions: list = field(default_factory=list)
    subqueries: int = 0
    ctes: int = 0
    set_operations: list = field(default_factory=list)
    clauses: list = field(default_factory=list)
    output_columns: int = 0

    def as_dict(self):
        return asdict(self)


def extract(plpy, sql):
    """The Features of the single statement in sql."""
    node_type, root = next(iter(parse_tree(plpy, sql).items()))
    return from_tree(node_type, root)


def as_json(plpy, sql):
    """The Features of sql as a JSON document, for ml_features()."""
    return json.dumps(extract(plpy, sql).as_dict())


STATEMENTS = frozenset({"SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"})
# Fields whose C type is one node struct: pglast's JSON writes them without the type name.
TYPED_FIELDS = {"larg": "SelectStmt", "rarg": "SelectStmt", "relation": "RangeVar", "rel": "RangeVar"}


class Scope:
    """The relations one statement (or subquery) reads, for resolving its column names."""

    def __init__(self, parent):
        self.parent, self.aliases, self.tables = parent, {}, set()

    def resolve(self, qualifier, everywhere):
        scope = self
        while scope is not None:
            if qualifier in scope.aliases:
                return scope.aliases[qualifier]
            scope = scope.parent
        return everywhere.get(qualifier, qualifier)

    def only_table(self):
        scope = self
        while scope is not None and not scope.tables:
            scope = scope.parent
        return next(iter(scope.tables)) if scope is not None and len(scope.tables) == 1 else "?"


def _index(node_type, root):
    """Every node by type, with its scope; the relations each scope reads; alias -> table."""
    nodes = defaultdict(list)
    for kind, node, scope in _walk(node_type, root):
        nodes[kind].append((node, scope))

    cte_names = {cte.get("ctename") for cte, _ in nodes["CommonTableExpr"]}
    everywhere, tables = {}, set()
    for rel, scope in nodes["RangeVar"]:
        name = rel.get("relname")
        if rel.get("schemaname"):
            name = f"{rel['schemaname']}.{name}"
        elif name in cte_names:
            name = f"cte:{name}"
        if not name.startswith("cte:"):
            tables.add(name)
        alias = (rel.get("alias") or {}).get("aliasname", rel.get("relname"))
        everywhere[alias] = name
        if scope is not None:
            scope.aliases[alias] = name
            scope.tables.add(name)
    return nodes, everywhere, tables


def _predicate_kind(expr):
    """The kind of comparison an A_Expr makes (eq, like, in, ...), or None for arithmetic."""
    op = _name(expr.get("name"))
    if expr.get("kind") == "AEXPR_OP":
        return OPERATORS.get(op)
    kind = A_EXPR_KINDS.get(expr.get("kind"))
    if kind and op.startswith("!") or (kind == "in" and op == "<>"):
        kind = "not_" + kind
    return kind


def value_contexts(node_type, root):
    """{location: (context, list)} for every constant and parameter in a comparison.

    context is "column:kind" of the comparison; list is the location of the IN
    list or ARRAY it belongs to, or None.
    """
    nodes, everywhere, _ = _index(node_type, root)
    found = {}
    for expr, scope in nodes["A_Expr"]:
        kind = _predicate_kind(expr)
        if kind is None:
            continue
        left, right = (_describe(expr.get(side), scope, everywhere) for side in ("lexpr", "rexpr"))
        context = f"{left or right or '?'}:{kind}"
        for side in ("lexpr", "rexpr"):
            value = _unwrap(expr.get(side))
            array = (value.get("A_ArrayExpr") or {}).get("elements")
            # BETWEEN's two bounds also come as a List, but they are two values, not one list.
            listed = (value.get("List") or {}).get("items")
            if array or (listed and expr.get("kind") == "AEXPR_IN"):
                group = (value.get("A_ArrayExpr") or {}).get("location", expr.get("location"))
                for member in array or listed:
                    _note(found, _unwrap(member), context, group)
            else:
                for member in listed or [value]:
                    _note(found, _unwrap(member), context, None)
    return found


def _unwrap(expr):
    while isinstance(expr, dict) and "TypeCast" in expr:
        expr = expr["TypeCast"].get("arg")
    return expr if isinstance(expr, dict) else {}


def _note(found, value, context, group):
    node = value.get("A_Const") or value.get("ParamRef")
    if node is not None and "location" in node:
        found[node["location"]] = (context, group)


def from_tree(node_type, root):
    nodes, everywhere, tables = _index(node_type, root)

    def column(expr, scope):
        return _describe(expr, scope, everywhere)

    predicates, edges = set(), set()
    for expr, scope in nodes["A_Expr"]:
        kind = _predicate_kind(expr)
        if kind is None:
            continue
        left, right = column(expr.get("lexpr"), scope), column(expr.get("rexpr"), scope)
        if kind == "eq" and _is_column(left) and _is_column(right) and _table(left) != _table(right):
            edges.add("=".join(sorted((left, right))))
        else:
            predicates.add(f"{left or right or '?'}:{kind}")
    for test, scope in nodes["NullTest"]:
        kind = "is_null" if test.get("nulltesttype") == "IS_NULL" else "is_not_null"
        predicates.add(f"{column(test.get('arg'), scope) or '?'}:{kind}")
    for test, scope in nodes["BooleanTest"]:
        predicates.add(f"{column(test.get('arg'), scope) or '?'}:{test.get('booltesttype', '').lower()}")
    for link, scope in nodes["SubLink"]:
        kind = SUBLINKS.get(link.get("subLinkType"), "subquery")
        if kind != "scalar_subquery":
            predicates.add(f"{column(link.get('testexpr'), scope) or '?'}:{kind}")
    for boolean, _ in nodes["BoolExpr"]:
        if boolean.get("boolop") in ("OR_EXPR", "NOT_EXPR"):
            predicates.add(f"?:{boolean['boolop'][:-5].lower()}")

    joins = Counter()
    for join, scope in nodes["JoinExpr"]:
        kind = JOIN_TYPES.get(join.get("jointype"), "OTHER")
        if kind == "INNER" and not (join.get("quals") or join.get("usingClause") or join.get("isNatural")):
            kind = "CROSS"
        joins[kind] += 1
        for using in join.get("usingClause") or ():
            sides = [_relation(join.get(arg), scope, everywhere) for arg in ("larg", "rarg")]
            if all(sides):
                col = using["String"]["sval"]
                edges.add("=".join(sorted(f"{side}.{col}" for side in sides)))
    for select, _ in nodes["SelectStmt"]:
        if len(select.get("fromClause") or ()) > 1:
            joins["IMPLICIT"] += len(select["fromClause"]) - 1

    aggregates, functions, window = set(), set(), False
    for call, _ in nodes["FuncCall"]:
        name = _name(call.get("funcname"))
        if call.get("over"):
            window = True
            functions.add(name)
        elif name in AGGREGATES or call.get("agg_star") or call.get("agg_distinct") or call.get("agg_filter"):
            aggregates.add(name)
        else:
            functions.add(name)

    clauses = _clauses(node_type, root)
    if window and "WINDOW" not in clauses:
        clauses.append("WINDOW")
    return Features(
        kind=KINDS.get(node_type) or _snake(node_type),
        tables=sorted(tables),
        joins=dict(sorted(joins.items())),
        join_edges=sorted(edges),
        predicates=sorted(predicates),
        aggregates=sorted(aggregates),
        functions=sorted(functions),
        subqueries=len(nodes["SubLink"]) + len(nodes["RangeSubselect"]),
        ctes=len(nodes["CommonTableExpr"]),
        set_operations=_set_operations(node for node, _ in nodes["SelectStmt"]),
        clauses=clauses,
        output_columns=len(root.get("targetList") or () if node_type == "SelectStmt"
                           else (root.get("returningClause") or {}).get("exprs") or ()),
    )


def _walk(node_type, root):
    """(type, fields, scope) for every node below root, without recursion: queries nest deeply.

    Untyped dicts (an Alias, a WithClause) come out with type None.
    """
    stack = [(node_type, root, None)]
    while stack:
        kind, fields, scope = stack.pop()
        if kind in STATEMENTS:
            scope = Scope(scope)
        yield kind, fields, scope
        for key, value in fields.items():
            children = value if isinstance(value, list) else (value,)
            for child in children:
                if not isinstance(child, dict):
                    continue
                if len(child) == 1:
                    (name, inner), = child.items()
                    if name[:1].isupper() and isinstance(inner, dict):
                        stack.append((name, inner, scope))
                        continue
                if key in TYPED_FIELDS and (key in ("relation", "rel") or kind == "SelectStmt"):
                    stack.append((TYPED_FIELDS[key], child, scope))
                else:
                    stack.append((None, child, scope))


def _name(names):
    """The last part of a qualified name list: pg_catalog.count -> count."""
    if not names:
        return ""
    return (names[-1].get("String") or {}).get("sval", "").lower()


def _describe(expr, scope, everywhere):
    """'table.column' for a column, 'name()' for a function call, None for a value."""
    expr = _unwrap(expr)
    if "ColumnRef" in expr:
        fields = [f["String"]["sval"] for f in expr["ColumnRef"].get("fields", ()) if "String" in f]
        if not fields:
            return None
        if scope is None:
            return f"{everywhere.get(fields[-2], fields[-2]) if len(fields) > 1 else '?'}.{fields[-1]}"
        if len(fields) == 1:
            return f"{scope.only_table()}.{fields[0]}"
        return f"{scope.resolve(fields[-2], everywhere)}.{fields[-1]}"
    if "FuncCall" in expr:
        return _name(expr["FuncCall"].get("funcname")) + "()"
    return None


def _is_column(description):
    return description is not None and not description.endswith("()")


def _table(column):
    return column.rpartition(".")[0]


def _relation(node, scope, everywhere):
    rel = (node or {}).get("RangeVar")
    if not rel:
        return None
    alias = (rel.get("alias") or {}).get("aliasname", rel.get("relname"))
    return scope.resolve(alias, everywhere) if scope is not None else everywhere.get(alias)


def _clauses(node_type, root):
    present = {
        "WITH": "withClause", "DISTINCT": "distinctClause", "GROUP_BY": "groupClause",
        "HAVING": "havingClause", "WINDOW": "windowClause", "ORDER_BY": "sortClause",
        "LIMIT": "limitCount", "OFFSET": "limitOffset", "FOR_UPDATE": "lockingClause",
        "VALUES": "valuesLists", "RETURNING": "returningClause", "ON_CONFLICT": "onConflictClause",
    }
    return [name for name, key in present.items() if root.get(key)]


def _set_operations(selects):
    found = set()
    for select in selects:
        op = select.get("op", "SETOP_NONE")
        if op != "SETOP_NONE":
            found.add(op[6:] + ("_ALL" if select.get("all") else ""))
    return sorted(found)


def _snake(node_type):
    name = node_type[:-4] if node_type.endswith("Stmt") else node_type
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()
