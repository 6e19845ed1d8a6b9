"""What only Python can do for matching: similarity scores, and a pattern applied to a query.

ml_match_pattern (SQL) finds exact matches by fingerprint.  When there is none, it asks
similar_scores for the patterns most similar to the query, and applies the scope, the
thresholds, the confidence, the order and the limit itself, once.
"""
from . import features, fingerprints, similarity, spi, templates, vetting
from .errors import INVALID_PARAMETER_VALUE, fail

_CANDIDATES = "SELECT id, tokens FROM query_ml.similarity_candidates($1, $2, $3, $4, $5)"

# Candidates sharing the most keys come first: enough for a good top list, few enough to score fast.
MAX_CANDIDATES = 300


def similar_scores(plpy, sql, source_id, dialect, limit):
    """[(pattern_id, similarity)] of the limit most similar patterns in scope, best first."""
    if sql is None:
        return []
    sig = similarity.sketch(features.extract(plpy, sql))
    if not sig.keys:
        return []
    rows = spi.run(plpy, _CANDIDATES, ["integer[]", "integer", "text", "smallint", "integer"],
                   [list(sig.keys), source_id, dialect, similarity.FEATURE_VERSION, MAX_CANDIDATES])
    scored = sorted(((similarity.similarity(sig.tokens, row["tokens"]), row["id"]) for row in rows),
                    key=lambda pair: (-pair[0], pair[1]))
    return [(pattern_id, score) for score, pattern_id in scored[:limit]]


_PATTERN = """SELECT id, fingerprint, optimization_type, optimized_template, normalized_query,
                     created_by::text AS created_by
                FROM query_ml.patterns WHERE id = $1"""


def _pattern(plpy, pattern_id):
    rows = spi.run(plpy, _PATTERN, ["bigint"], [pattern_id])
    return rows[0] if rows.nrows() else None


def apply(plpy, pattern_id, sql, search_path):
    """ml_apply_pattern: the pattern's optimized SQL with this query's literals, checked as the
    caller would run it when another role stored it (vetting)."""
    pattern = _pattern(plpy, pattern_id)
    if pattern is None:
        fail(plpy, "P0002", f"pattern {pattern_id} does not exist", hint="ml_patterns() lists the patterns.")
    if pattern["optimization_type"] == "other":
        fail(plpy, INVALID_PARAMETER_VALUE, f"pattern {pattern_id} holds no SQL to apply",
             detail="Its optimization is of type other, a free-text description.")
    fingerprint = fingerprints.fingerprint(plpy, sql)
    if fingerprint != pattern["fingerprint"]:
        fail(plpy, INVALID_PARAMETER_VALUE, f"the query does not fit pattern {pattern_id}",
             detail=f"Its fingerprint is {fingerprint}; the pattern's is {pattern['fingerprint']}.",
             hint="ml_match_pattern(sql) lists the patterns that fit this query.")
    return _applied(plpy, pattern, sql, search_path)


def _applied(plpy, pattern, sql, search_path):
    applied = templates.apply(plpy, pattern["optimized_template"], pattern["normalized_query"], sql, pattern["id"])
    return vetting.checked(plpy, pattern, applied, sql, pattern["id"], search_path)


def concrete(plpy, pattern_id, sql, match_kind, search_path):
    """The SQL a suggestion can run, or None: applied for an exact match (ml_match_pattern has
    matched its fingerprint already), else a template without values; either one checked
    (vetting) when another role stored it."""
    pattern = _pattern(plpy, pattern_id)
    if pattern is None or pattern["optimization_type"] == "other":
        return None
    template = pattern["optimized_template"]
    if match_kind != "exact" and "$" in template:
        return None
    try:
        with plpy.subtransaction():
            if match_kind == "exact":
                return _applied(plpy, pattern, sql, search_path)
            return vetting.checked(plpy, pattern, template, sql, pattern_id, search_path)
    except (plpy.Error, plpy.SPIError):
        return None
