"""Runnable SQL another role wrote: handed over only once checked against what it resolves to.

A suggestion's applied SQL runs, when the caller runs it, with the caller's rights and
search_path, where an unqualified name could find another role's object first (a function
lower(integer), an operator, a view, a PostgreSQL 18 keyword that PostgreSQL 15 reads as a
function call).  So before query_ml hands a caller SQL from a pattern that another role
stored, the server resolves it as the caller would: the applied statement (or, for an
index, a SELECT of its expressions and predicate) and the caller's own query become
temporary views in a subtransaction that is rolled back, and pg_depend lists every object
each resolves to.  What the applied SQL resolves to beyond the query's own objects must be
in pg_catalog, and a function must not be volatile nor read a relation named in a string.
"""
from pglast import parse_sql
from pglast.stream import RawStream

from . import spi
from .errors import INSUFFICIENT_PRIVILEGE, fail
from .parsing import parse_tree

_NEW_OBJECTS = """
    WITH deps AS (
        SELECT v.name, d.refclassid, d.refobjid
          FROM (VALUES ('applied'), ('query')) AS v (name)
          JOIN pg_catalog.pg_rewrite r ON r.ev_class = pg_catalog.to_regclass('pg_temp.qml_vet_' OPERATOR(pg_catalog.||) v.name)
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
         WHERE d.refobjid <> r.ev_class)
    SELECT pg_catalog.pg_describe_object(n.refclassid, n.refobjid, 0) AS what
      FROM (SELECT refclassid, refobjid FROM deps WHERE name = 'applied'
            EXCEPT SELECT refclassid, refobjid FROM deps WHERE name = 'query') n
      LEFT JOIN pg_catalog.pg_proc p ON n.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = n.refobjid
      LEFT JOIN pg_catalog.pg_operator o ON n.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass
                                        AND o.oid = n.refobjid
      LEFT JOIN pg_catalog.pg_proc op ON op.oid = o.oprcode
      LEFT JOIN pg_catalog.pg_type t ON n.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = n.refobjid
      LEFT JOIN pg_catalog.pg_collation c ON n.refclassid = 'pg_catalog.pg_collation'::pg_catalog.regclass
                                         AND c.oid = n.refobjid
     WHERE NOT coalesce(
               (p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.provolatile <> 'v'
                AND p.proname OPERATOR(pg_catalog.!~) 'to_xml|xmlschema')
            OR (o.oprnamespace = 'pg_catalog'::pg_catalog.regnamespace AND op.provolatile <> 'v')
            OR t.typnamespace = 'pg_catalog'::pg_catalog.regnamespace
            OR c.collnamespace = 'pg_catalog'::pg_catalog.regnamespace, false)
     ORDER BY 1"""


def checked(plpy, pattern, applied, sql, pattern_id, search_path):
    """applied, if the caller stored the pattern or it resolves to nothing new for the caller;
    else a 42501 error that names what it would reach."""
    if pattern["created_by"] == spi.current_user(plpy):
        return applied
    probe = _as_select(plpy, applied)
    reached = ["a statement query_ml cannot check"] if probe is None else _reached(plpy, probe, sql, search_path)
    if reached:
        fail(plpy, INSUFFICIENT_PRIVILEGE,
             f"pattern {pattern_id} was stored by {pattern['created_by']}, and its SQL would reach "
             f"what your query does not: {', '.join(reached[:3])}",
             detail="query_ml hands you another role's SQL only when, resolved as you would run it, it reaches "
                    "nothing beyond your query's objects but pg_catalog's that change nothing.",
             hint=f"Read it with ml_pattern({pattern_id}) and write the statement yourself, or measure it with "
                  "ml_track(), which runs it as the role that recorded it.")
    return applied


def _as_select(plpy, statement):
    """A SELECT that resolves the same names: the statement itself, or an index's expressions."""
    kind, root = next(iter(parse_tree(plpy, statement).items()))
    if kind == "SelectStmt":
        return statement
    if kind != "IndexStmt":
        return None
    node = parse_sql(statement)[0].stmt
    columns = [RawStream()(p.expr) if p.expr is not None else f'"{p.name}"' for p in node.indexParams]
    where = f" WHERE ({RawStream()(node.whereClause)}) IS NOT NULL" if node.whereClause is not None else ""
    return f"SELECT {', '.join(columns)} FROM {RawStream()(node.relation)}{where}"


def _reached(plpy, probe, sql, search_path):
    found = []
    try:
        with spi.rolled_back(plpy):
            for name, text in (("qml_vet_applied", probe), ("qml_vet_query", sql)):
                spi.run(plpy, "SELECT query_ml.make_probe_view($1, $2, $3)", ["text", "text", "text"],
                        [name, text, search_path])
            found = [row["what"] for row in spi.run(plpy, _NEW_OBJECTS)]
    except (plpy.Error, plpy.SPIError):
        return ["names that do not resolve for you"]
    return found
