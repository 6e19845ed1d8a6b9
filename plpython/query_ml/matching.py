"""Matching a query to stored patterns by structural similarity, and applying a pattern.

The exact fingerprint match is one query in ml_match_pattern (PL/pgSQL); when it
finds nothing, similar_matches runs here.  A match's confidence is its pattern's
confidence times the similarity.  Matches below the confidence_threshold setting
are not suggested.
"""
from . import features, fingerprints, similarity, spi, templates, vetting
from .errors import INVALID_PARAMETER_VALUE, fail, require

_CANDIDATES = "SELECT id, tokens FROM query_ml.similarity_candidates($1, $2, $3, $4, $5)"

_MATCHES = """
    SELECT pattern_id, confidence, confidence_wilson, expected_improvement, optimization_type, suggestion,
           applications, status, optimized_template
      FROM query_ml.pattern_matches WHERE pattern_id = ANY($1)"""

# Candidates sharing the most keys come first: enough for a good top list, few enough to score fast.
MAX_CANDIDATES = 300


def _scope(plpy, source):
    if source is None:
        return None, None
    row = spi.run(plpy, "SELECT id, dialect FROM query_ml.find_source($1)", ["text"], [source])[0]
    return row["id"], row["dialect"]


def _check_limit(plpy, limit):
    require(plpy, row_limit=limit)
    if limit < 1 or limit > 1000:
        fail(plpy, INVALID_PARAMETER_VALUE, f"the limit must lie between 1 and 1000, not {limit}")


def similar(plpy, sql, source=None, limit=10):
    """[(pattern_id, similarity)] of the most similar patterns, best first; no threshold."""
    _check_limit(plpy, limit)
    return _similar(plpy, similarity.signature(features.extract(plpy, sql)), *_scope(plpy, source), limit)


def _similar(plpy, sig, source_id, dialect, limit):
    if not sig.keys:
        return []
    rows = spi.run(plpy, _CANDIDATES, ["integer[]", "integer", "text", "smallint", "integer"],
                   [list(sig.keys), source_id, dialect, similarity.FEATURE_VERSION, MAX_CANDIDATES])
    scored = sorted(((similarity.similarity(sig.tokens, row["tokens"]), row["id"]) for row in rows),
                    key=lambda pair: (-pair[0], pair[1]))
    return [(pattern_id, score) for score, pattern_id in scored[:limit]]


def similar_matches(plpy, sql, source_id, dialect, limit, min_confidence):
    """The similarity half of ml_match_pattern: rows for the most similar patterns."""
    if sql is None:
        return []
    threshold = min_confidence if min_confidence is not None else _setting(plpy, "confidence_threshold")
    floor = _setting(plpy, "similarity_min")
    nearest = [(pid, score) for pid, score in
               _similar(plpy, similarity.signature(features.extract(plpy, sql)), source_id, dialect, 50)
               if score >= floor]
    if not nearest:
        return []
    found = {row["pattern_id"]: row for row in
             spi.run(plpy, _MATCHES, ["bigint[]"], [[pid for pid, _ in nearest]])}
    rows = []
    for pid, score in nearest:
        row = found.get(pid)
        if row is not None and row["confidence"] * score >= threshold:
            rows.append(dict(row, match_kind="similar", similarity=score, confidence=row["confidence"] * score,
                             confidence_wilson=row["confidence_wilson"] * score))
    rows.sort(key=lambda row: (-row["confidence"], -row["similarity"], row["pattern_id"]))
    return rows[:limit]


def apply(plpy, pattern_id, sql, search_path):
    """ml_apply_pattern: the pattern's optimized SQL with this query's literals, checked as the
    caller would run it when another role stored it (vetting)."""
    rows = spi.run(plpy, """SELECT id, fingerprint, optimization_type, optimized_template, normalized_query,
                                   created_by::text AS created_by
                              FROM query_ml.patterns WHERE id = $1""", ["bigint"], [pattern_id])
    if not rows.nrows():
        fail(plpy, "P0002", f"pattern {pattern_id} does not exist", hint="ml_patterns() lists the patterns.")
    pattern = rows[0]
    if pattern["optimization_type"] == "other":
        fail(plpy, INVALID_PARAMETER_VALUE, f"pattern {pattern_id} holds no SQL to apply",
             detail="Its optimization is of type other, a free-text description.")
    fingerprint = fingerprints.fingerprint(plpy, sql)
    if fingerprint != pattern["fingerprint"]:
        fail(plpy, INVALID_PARAMETER_VALUE, f"the query does not fit pattern {pattern_id}",
             detail=f"Its fingerprint is {fingerprint}; the pattern's is {pattern['fingerprint']}.",
             hint="ml_match_pattern(sql) lists the patterns that fit this query.")
    applied = templates.apply(plpy, pattern["optimized_template"], pattern["normalized_query"], sql, pattern_id)
    return vetting.checked(plpy, pattern, applied, sql, pattern_id, search_path)


def concrete(plpy, pattern_id, sql, match_kind, search_path):
    """The SQL a suggestion can run, or None: applied for an exact match, else a template without
    values; either one checked (vetting) when another role stored it."""
    rows = spi.run(plpy, "SELECT optimization_type, optimized_template, created_by::text AS created_by "
                         "FROM query_ml.patterns WHERE id = $1", ["bigint"], [pattern_id])
    if not rows.nrows() or rows[0]["optimization_type"] == "other":
        return None
    template = rows[0]["optimized_template"]
    if match_kind != "exact" and "$" in template:
        return None
    try:
        with plpy.subtransaction():
            if match_kind == "exact":
                return apply(plpy, pattern_id, sql, search_path)
            return vetting.checked(plpy, rows[0], template, sql, pattern_id, search_path)
    except (plpy.Error, plpy.SPIError):
        return None


def _setting(plpy, name):
    return float(spi.run(plpy, "SELECT query_ml.setting($1)", ["text"], [name])[0]["setting"])
