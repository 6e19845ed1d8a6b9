"""Storing patterns, and keeping their fingerprints in step with the parser."""
from . import features, fingerprints, signatures, similarity, spi, templates
from .errors import INVALID_PARAMETER_VALUE, fail
from .parsing import PARSER_VERSION, parse_tree

TYPES = ("rewrite", "index", "setting", "hint", "other")
# What the optimized text of each type must be; "other" is free text.
STATEMENT_KINDS = {
    "rewrite": {"SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"},
    "hint": {"SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"},
    "index": {"IndexStmt", "CreateStatsStmt", "ClusterStmt", "AlterTableStmt", "VacuumStmt"},
    "setting": {"VariableSetStmt", "AlterSystemStmt", "AlterRoleSetStmt", "AlterDatabaseSetStmt",
                "AlterTableStmt", "AlterFunctionStmt"},
}


def check_type(plpy, optimization_type):
    if optimization_type not in TYPES:
        fail(plpy, INVALID_PARAMETER_VALUE, f'unknown optimization type "{optimization_type}"',
             hint="The types are " + ", ".join(TYPES) + ".")


def optimized_template(plpy, optimization_type, original, optimized):
    """The optimized text as stored: the original's literals become its parameters."""
    if optimization_type == "other":
        if not optimized.strip():
            fail(plpy, INVALID_PARAMETER_VALUE, "the optimization text is empty",
                 hint="Describe what was done, for example 'materialized the subquery'.")
        return optimized.strip()
    kind = next(iter(parse_tree(plpy, optimized)))
    if kind not in STATEMENT_KINDS[optimization_type]:
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"an optimization of type {optimization_type} cannot be a {features.KINDS.get(kind) or kind} statement",
             hint={"rewrite": "Give the rewritten query.", "hint": "Give the query with its /*+ ... */ hint.",
                   "index": "Give the CREATE INDEX (or CREATE STATISTICS) statement.",
                   "setting": "Give the SET or ALTER SYSTEM statement."}[optimization_type])
    return templates.make_template(plpy, original, optimized)


def analyse(plpy, sql):
    """fingerprint, normalized text, signature and similarity keys of one statement."""
    fingerprint = fingerprints.fingerprint(plpy, sql)
    shape = features.extract(plpy, sql)
    return {
        "fingerprint": fingerprint,
        "normalized": fingerprints.normalize(plpy, sql),
        "signature": signatures.from_features(shape),
        "similarity": similarity.signature(shape),
    }


def store(plpy, original, optimization_type, optimized, description, source, shared):
    """Store a pattern, or return the one with the same fingerprint, scope and optimization."""
    return store_found(plpy, original, optimization_type, optimized, description, source, shared)[0]


def store_found(plpy, original, optimization_type, optimized, description, source, shared):
    """(pattern id, analyse() of the original, the id of the source it came from)."""
    check_type(plpy, optimization_type)
    found = analyse(plpy, original)
    template = optimized_template(plpy, optimization_type, original, optimized)
    scope = spi.run(plpy, "SELECT id, dialect FROM query_ml.source_for($1, true)", ["text"], [source])[0]
    source_id, dialect = scope["id"], scope["dialect"]
    row = spi.run(plpy, """
        INSERT INTO query_ml.patterns AS p (fingerprint, parser_version, normalized_query, signature,
               optimization_type, optimized_template, description, source_id, dialect,
               feature_version, tokens, lsh_keys)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (fingerprint, dialect, source_id, optimization_type, md5(optimized_template))
        DO UPDATE SET description = coalesce(excluded.description, p.description)
        RETURNING p.id""",
        ["text", "text", "text", "text", "text", "text", "text", "integer", "text", "smallint",
         "integer[]", "integer[]"],
        [found["fingerprint"], PARSER_VERSION, found["normalized"], found["signature"], optimization_type,
         template, description, None if shared else source_id, dialect, similarity.FEATURE_VERSION,
         list(found["similarity"].tokens), list(found["similarity"].keys)])
    return row[0]["id"], found, source_id


def refingerprint(plpy, force):
    """Recompute what depends on the parser for the patterns stored under another one."""
    rows = plpy.execute(f"""
        SELECT id, fingerprint, normalized_query FROM query_ml.patterns
         WHERE {'true' if force else 'parser_version <> ' + plpy.quote_literal(PARSER_VERSION)
                + f' OR feature_version <> {similarity.FEATURE_VERSION}'}
         ORDER BY id""")
    report = []
    for row in rows:
        try:
            found = analyse(plpy, row["normalized_query"])
        except plpy.Error:
            report.append((row["id"], row["fingerprint"], None, "unparseable"))
            continue
        try:
            with plpy.subtransaction():
                spi.run(plpy, """
                    UPDATE query_ml.patterns SET fingerprint = $2, parser_version = $3, signature = $4,
                           feature_version = $5, tokens = $6, lsh_keys = $7 WHERE id = $1""",
                    ["bigint", "text", "text", "text", "smallint", "integer[]", "integer[]"],
                    [row["id"], found["fingerprint"], PARSER_VERSION, found["signature"],
                     similarity.FEATURE_VERSION, list(found["similarity"].tokens), list(found["similarity"].keys)])
        except plpy.SPIError:
            report.append((row["id"], row["fingerprint"], found["fingerprint"], "conflict"))
            continue
        outcome = "unchanged" if found["fingerprint"] == row["fingerprint"] else "updated"
        report.append((row["id"], row["fingerprint"], found["fingerprint"], outcome))
    return report
