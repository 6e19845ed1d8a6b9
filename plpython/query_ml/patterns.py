"""Storing patterns, and keeping their fingerprints in step with the parser."""
from . import features, fingerprints, signatures, similarity, spi, templates
from .errors import INVALID_PARAMETER_VALUE, STRING_DATA_RIGHT_TRUNCATION, fail
from .parsing import PARSER_VERSION, parse_tree

QUERIES = {"SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"}
# What the optimized text of each type may be; "other" is free text, never executed.  A rewrite
# or a hint is one statement of the original's own kind (checked in optimized_template).
STATEMENT_KINDS = {
    "rewrite": QUERIES,
    "hint": QUERIES,
    "index": {"IndexStmt", "CreateStatsStmt"},
    "setting": {"VariableSetStmt", "AlterSystemStmt", "AlterRoleSetStmt", "AlterDatabaseSetStmt"},
}
# Settings that would change who runs the measured queries, or how query_ml reads them.
FORBIDDEN_SETTINGS = {"role", "session_authorization", "search_path", "standard_conforming_strings",
                      "transaction_read_only", "default_transaction_read_only", "session_replication_role",
                      "client_encoding"}
SETTING_KINDS = {"VAR_SET_VALUE", "VAR_SET_DEFAULT", "VAR_RESET"}      # of one named setting
WRITES = ("InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt")
# pg_catalog functions that may change something, or read a relation named in a string (and so
# run a view's functions): every overload of the name must be neither.
_CHANGING = """
    SELECT f.name FROM pg_catalog.unnest($1::text[]) AS f (name)
     WHERE f.name OPERATOR(pg_catalog.~) 'to_xml|xmlschema'
        OR NOT coalesce((SELECT pg_catalog.bool_and(p.provolatile <> 'v') FROM pg_catalog.pg_proc p
                          WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.proname = f.name), false)
     ORDER BY 1"""
# The free text of an "other" optimization; it describes, it is never run.
MAX_OTHER_CHARS = 10000
MAX_DESCRIPTION_CHARS = 2000   # patterns_ and optimizations_description_check


def check_type(plpy, optimization_type):
    """The types are listed once, in query_ml.optimization_types."""
    spi.run(plpy, "SELECT query_ml.check_optimization_type($1)", ["text"], [optimization_type])


def check_description(plpy, description):
    if description is not None and len(description) > MAX_DESCRIPTION_CHARS:
        fail(plpy, STRING_DATA_RIGHT_TRUNCATION,
             f"the description is {len(description)} characters long; the most is {MAX_DESCRIPTION_CHARS}",
             hint="Describe the optimization in fewer words.")


def optimized_template(plpy, optimization_type, original, optimized):
    """The optimized text as stored: the original's literals become its parameters."""
    if optimization_type == "other":
        if not optimized.strip():
            fail(plpy, INVALID_PARAMETER_VALUE, "the optimization text is empty",
                 hint="Describe what was done, for example 'materialized the subquery'.")
        if len(optimized.strip()) > MAX_OTHER_CHARS:
            fail(plpy, STRING_DATA_RIGHT_TRUNCATION,
                 f"the description of an other optimization is {len(optimized.strip())} characters long; "
                 f"the most is {MAX_OTHER_CHARS}", hint="Describe what was done in fewer words.")
        return optimized.strip()
    kind, root = next(iter(parse_tree(plpy, optimized).items()))
    allowed = STATEMENT_KINDS[optimization_type]
    if optimization_type in ("rewrite", "hint"):
        allowed = {next(iter(parse_tree(plpy, original)))} & QUERIES
    if kind not in allowed:
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"an optimization of type {optimization_type} cannot be a {features.KINDS.get(kind) or kind} statement",
             detail="A rewrite or a hint is one statement of the same kind as the original query."
             if optimization_type in ("rewrite", "hint") else None,
             hint={"rewrite": "Give the rewritten query.", "hint": "Give the query with its /*+ ... */ hint.",
                   "index": "Give the CREATE INDEX (or CREATE STATISTICS) statement.",
                   "setting": "Give a SET, SET LOCAL or RESET statement (or ALTER SYSTEM / ALTER ROLE ... SET, "
                              "which are stored but never run)."}[optimization_type])
    if kind == "VariableSetStmt" and (root.get("kind") not in SETTING_KINDS
                                      or (root.get("name") or "").lower() in FORBIDDEN_SETTINGS):
        fail(plpy, INVALID_PARAMETER_VALUE, "a setting optimization changes one planner or executor setting",
             detail="It cannot reset every setting, set transaction or session characteristics, or change who "
                    "runs the measured queries or how query_ml reads them.",
             hint="Record a setting that changes how the query is planned or run, such as SET work_mem = '256MB'.")
    if optimization_type != "setting":
        _no_new_effects(plpy, original, optimized)
    return templates.make_template(plpy, original, optimized)


def effects(plpy, sql):
    """What a statement is and does, and every name it makes the server look up: writes, SELECT INTO,
    row locks; relations, functions, operators, types, attribute names (o.f, which may call a
    function f), JSON constructs (function calls before PostgreSQL 16); and its top-level WITH names."""
    found = {"writes": set(), "into": False, "locks": False, "functions": set(), "relations": set(),
             "operators": set(), "types": set(), "attributes": set(), "columns": set(), "json": set()}
    tree = parse_tree(plpy, sql)
    found["kind"], root = next(iter(tree.items()))
    found["ctes"] = {c["CommonTableExpr"]["ctename"] for c in (root.get("withClause") or {}).get("ctes", [])}

    def names(items):
        return ".".join(n["String"]["sval"] for n in items or [] if "String" in n)

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in WRITES:
                    found["writes"].add(key)
                elif key == "intoClause":
                    found["into"] = True
                elif key == "lockingClause":
                    found["locks"] = True
                elif key.startswith("Json"):
                    found["json"].add(key)
                elif key == "FuncCall":
                    found["functions"].add(names(value.get("funcname")))
                elif key in ("RangeVar", "relation") and isinstance(value, dict) and "relname" in value:
                    found["relations"].add(".".join(filter(None, (value.get("schemaname"), value.get("relname")))))
                elif key == "A_Expr" and value.get("name"):
                    found["operators"].add(names(value["name"]))
                elif key in ("TypeName", "typeName") and isinstance(value, dict) and value.get("names"):
                    found["types"].add(names(value["names"]))     # a struct field is written without its type
                elif key == "ColumnRef":
                    found["columns"].add(names(value.get("fields", [])[-1:]))
                    if len(value.get("fields") or []) > 1:
                        found["attributes"].add(names(value["fields"][-1:]))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(tree)
    return found


# An unqualified name that pg_catalog holds is found there first, on any search_path that does
# not name pg_catalog later; a function is accepted only written pg_catalog.f(), since another
# schema's f(integer) is an exact match where pg_catalog's f(text) is not.
_UNKNOWN = """
    SELECT 'the operator ' OPERATOR(pg_catalog.||) o AS what FROM pg_catalog.unnest($1::text[]) AS o
     WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_operator x WHERE x.oprname = o
                          AND x.oprnamespace = 'pg_catalog'::pg_catalog.regnamespace)
    UNION ALL
    SELECT 'the type ' OPERATOR(pg_catalog.||) t FROM pg_catalog.unnest($2::text[]) AS t
     WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_type x WHERE x.typname = t
                          AND x.typnamespace = 'pg_catalog'::pg_catalog.regnamespace)
    UNION ALL
    -- o.name is a column of a relation the original reads, or it could call a function name(o).
    -- The reader's search_path is unknown: a relation is any of that name here; the relations
    -- of another database (another source) cannot be checked here.
    SELECT 'the attribute .' OPERATOR(pg_catalog.||) a FROM pg_catalog.unnest($3::text[]) AS a
     WHERE EXISTS (SELECT FROM query_ml.relations_named($4) c)
       AND NOT EXISTS (SELECT FROM query_ml.relations_named($4) c JOIN pg_catalog.pg_attribute x ON x.attrelid = c
                        WHERE x.attname = a AND NOT x.attisdropped AND x.attnum > 0)"""


def _no_new_effects(plpy, original, optimized):
    """An optimized text does nothing its original does not, and names nothing new that another
    schema could answer for: see the README's Security section."""
    before, after = effects(plpy, original), effects(plpy, optimized)
    what = {"InsertStmt": "an INSERT", "UpdateStmt": "an UPDATE", "DeleteStmt": "a DELETE",
            "MergeStmt": "a MERGE", "into": "SELECT INTO", "locks": "a row lock (FOR UPDATE/SHARE)"}
    added = [what[a] for a in sorted(after["writes"] - before["writes"])] + \
        [what[w] for w in ("into", "locks") if after[w] and not before[w]]
    added += [f"the relation {r}" for r in sorted(after["relations"] - before["relations"] - after["ctes"])]
    functions = sorted(after["functions"] - before["functions"])
    added += [f"a call to {f}()" for f in functions if not f.startswith("pg_catalog.")]
    catalog = [f.removeprefix("pg_catalog.") for f in functions if f.startswith("pg_catalog.")]
    if catalog:     # pg_depend records no dependency on pg_catalog's objects: vetting cannot see these
        added += [f"a call to pg_catalog.{row['name']}()" for row in spi.run(plpy, _CHANGING, ["text[]"], [catalog])]
    added += [f"the construct {j}" for j in sorted(after["json"] - before["json"])]
    unqualified = {kind: sorted(n for n in after[kind] - before[kind] if "." not in n)
                   for kind in ("operators", "types")}
    added += [f"the {kind[:-1]} {n}" for kind in ("operators", "types")
              for n in sorted(after[kind] - before[kind]) if "." in n and not n.startswith("pg_catalog.")]
    attributes = sorted(after["attributes"] - before["attributes"] - before["columns"])
    if unqualified["operators"] or unqualified["types"] or attributes:
        added += [row["what"] for row in spi.run(plpy, _UNKNOWN, ["text[]", "text[]", "text[]", "text[]"],
                                                 [unqualified["operators"], unqualified["types"], attributes,
                                                  sorted(before["relations"])])]
    if added:
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"the optimized text reaches what the original does not: {', '.join(added[:4])}",
             detail="An optimized text names only the original's relations, functions and attributes, operators "
                    "and types that pg_catalog holds, and functions written pg_catalog.f(); it adds no write, "
                    "SELECT INTO or row lock.",
             hint="Write a function the original does not call as pg_catalog.f(...), or record a rewrite that "
                  "reads what the original reads, and nothing more.")


def computed(plpy, sql):
    """What the row trigger computes from one statement: fingerprint, normalized text, signature, similarity sketch."""
    fingerprint = fingerprints.fingerprint(plpy, sql)
    shape = features.extract(plpy, sql)
    return {
        "fingerprint": fingerprint,
        "normalized": fingerprints.normalize(plpy, sql),
        "signature": signatures.from_features(shape),
        "sketch": similarity.sketch(shape),
    }


def store(plpy, original, optimization_type, optimized, description, source, shared):
    """Store a pattern, or return the one with the same fingerprint, scope and optimization."""
    return store_found(plpy, original, optimization_type, optimized, description, source, shared)[0]


def store_found(plpy, original, optimization_type, optimized, description, source, shared):
    """(pattern id, its normalized query, the id of the source it came from).

    The texts go in as given: the row trigger (derive) normalizes them and computes every
    derived column, so a plain INSERT is held to the same rules as this function.
    """
    check_type(plpy, optimization_type)
    check_description(plpy, description)
    scope = spi.run(plpy, "SELECT id, dialect FROM query_ml.source_for($1, true)", ["text"], [source])[0]
    identity = [computed(plpy, original)["fingerprint"], scope["dialect"], None if shared else scope["id"],
                optimization_type, optimized_template(plpy, optimization_type, original, optimized)]
    # Found before any insert: storing a pattern again takes no sequence value and changes nothing.
    # A second look finds the pattern that another session stored between this look and the insert.
    for _ in range(2):
        existing = spi.run(plpy, _EXISTING, ["text", "text", "integer", "text", "text"], identity)
        if existing.nrows():
            row = existing[0]
            if description is not None and description != row["description"]:
                plpy.notice(f"query_ml: pattern {row['id']} exists already; its description is kept",
                            hint=f"ml_update_pattern({row['id']}, description => ...) changes it.")
            return row["id"], row["normalized_query"], scope["id"]
        row = spi.run(plpy, """
            INSERT INTO query_ml.patterns (normalized_query, optimization_type, optimized_template, description,
                   source_id, dialect)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (fingerprint, dialect, source_id, optimization_type, md5(optimized_template)) DO NOTHING
            RETURNING id, normalized_query""",
            ["text", "text", "text", "text", "integer", "text"],
            [original, optimization_type, optimized, description, identity[2], scope["dialect"]])
        if row.nrows():
            return row[0]["id"], row[0]["normalized_query"], scope["id"]
    fail(plpy, "40001", "the pattern was stored and removed again while this call stored it",
         hint="Call it again.")


_EXISTING = """SELECT id, normalized_query, description FROM query_ml.patterns
                WHERE fingerprint = $1 AND dialect = $2 AND source_id IS NOT DISTINCT FROM $3
                  AND optimization_type = $4 AND md5(optimized_template) = md5($5)"""


def derive(plpy, td):
    """BEFORE INSERT or UPDATE trigger on patterns: whatever path a row takes (the functions,
    INSERT, COPY, a restore), its texts are normalized, its optimized text is checked against
    its type, and the fingerprint, signature and similarity keys are the server's own."""
    new = td["new"]
    check_type(plpy, new["optimization_type"])
    original, optimized = new["normalized_query"], new["optimized_template"]
    found = computed(plpy, original)
    new["optimized_template"] = optimized_template(plpy, new["optimization_type"], original, optimized)
    new.update(fingerprint=found["fingerprint"], normalized_query=found["normalized"], parser_version=PARSER_VERSION,
               signature=found["signature"], feature_version=similarity.FEATURE_VERSION,
               tokens=list(found["sketch"].tokens), lsh_keys=list(found["sketch"].keys))
    if new["source_id"] is not None:
        new["dialect"] = source_dialect(plpy, new["source_id"], td["event"] == "INSERT")
    if td["event"] == "UPDATE":
        new["refined_version"] = None   # another shape, type or template: the next ml_refine() redoes it
    return "MODIFY"


def source_dialect(plpy, source_id, for_writing):
    """The dialect of a source; when writing, an error for a retired one."""
    row = spi.run(plpy, "SELECT name, dialect, is_active FROM query_ml.sources WHERE id = $1", ["integer"], [source_id])
    if not row.nrows():
        return None     # the foreign key names it
    if for_writing and not row[0]["is_active"]:
        fail(plpy, "55000", f'source "{row[0]["name"]}" is retired',
             hint="A query_ml_admin's ml_register_source(name) makes it active again.")
    return row[0]["dialect"]


def refingerprint(plpy, force):
    """Recompute what depends on the parser for the patterns stored under another one."""
    rows = plpy.execute(f"""
        SELECT id, fingerprint FROM query_ml.patterns
         WHERE {'true' if force else 'parser_version <> ' + plpy.quote_literal(PARSER_VERSION)
                + f' OR feature_version <> {similarity.FEATURE_VERSION}'}
         ORDER BY id""")
    report = []
    for row in rows:    # a new fingerprint takes its locks in trigger patterns_fingerprint_lock
        try:
            with plpy.subtransaction():
                # Touching the text makes the row trigger (derive) compute everything again.
                found = spi.run(plpy, "UPDATE query_ml.patterns SET normalized_query = normalized_query "
                                      "WHERE id = $1 RETURNING fingerprint", ["bigint"], [row["id"]])[0]
        except (plpy.Error, plpy.SPIError) as error:     # the row trigger's checks, or the identity key
            state = getattr(error, "sqlstate", None) or ""
            if state[:2] in ("40", "55", "57"):     # a deadlock, a lock timeout, a cancel: not the text's fault
                raise
            outcome = "conflict" if state == "23505" else "unparseable"
            report.append((row["id"], row["fingerprint"], None, outcome))
            continue
        outcome = "unchanged" if found["fingerprint"] == row["fingerprint"] else "updated"
        report.append((row["id"], row["fingerprint"], found["fingerprint"], outcome))
    return report
