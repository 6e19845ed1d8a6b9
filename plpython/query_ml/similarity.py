"""Structural similarity between queries, and the keys that find candidates in an index.

A query becomes a set of weighted tokens (tables, join keys, predicate kinds per
column, aggregates, clauses).  Similarity is the weighted Jaccard index of two
token sets.  To find candidates among many patterns without scanning them,
each pattern also gets MinHash band keys (LSH) over its distinctive tokens,
plus one key for its exact table set; a GIN index on those keys returns the
patterns that share at least one.
"""
import zlib
from dataclasses import dataclass

# Bumped whenever tokens or keys change meaning: stored patterns are then recomputed.
FEATURE_VERSION = 1

# Token categories: (weight, part of the MinHash set).
CATEGORIES = {
    "table": (3.0, True),
    "edge": (2.0, True),
    "predicate": (1.0, True),
    "column": (1.0, True),
    "aggregate": (0.5, False),
    "function": (0.5, False),
    "join": (0.5, False),
    "clause": (0.5, False),
    "shape": (0.5, False),
}
_CODES = {name: code for code, name in enumerate(CATEGORIES, start=1)}
_WEIGHTS = {code: CATEGORIES[name][0] for name, code in _CODES.items()}
_ANCHORS = {code for name, code in _CODES.items() if CATEGORIES[name][1]}

BANDS, ROWS = 16, 3
_PRIME = (1 << 61) - 1
_SEEDS = [((2654435761 * (i + 1)) % _PRIME or 1, (40503 * (i + 7) ** 3) % _PRIME) for i in range(BANDS * ROWS)]


@dataclass(frozen=True)
class Sketch:
    tokens: tuple     # sorted int32 token codes (category in the low 4 bits)
    keys: tuple       # int32 index keys: one per LSH band, and one for the table set


def tokens_of(features):
    """The weighted tokens of a Features, as (category, text) pairs."""
    out = {("table", t) for t in features.tables}
    out |= {("edge", e) for e in features.join_edges}
    for predicate in features.predicates:
        out.add(("predicate", predicate))
        column = predicate.rpartition(":")[0]
        if column != "?":
            out.add(("column", column))
    out |= {("aggregate", a) for a in features.aggregates}
    out |= {("function", f) for f in features.functions}
    out |= {("join", j) for j in features.joins}
    out |= {("clause", c) for c in features.clauses}
    out |= {("clause", s) for s in features.set_operations}
    out.add(("shape", features.kind))
    if features.subqueries:
        out.add(("shape", f"subqueries:{min(features.subqueries, 3)}"))
    if features.ctes:
        out.add(("shape", "cte"))
    return out


def _code(category, text):
    """A stable int32 for a token, its category in the low 4 bits."""
    value = (zlib.crc32(f"{category}\x00{text}".encode()) & ~0xF) | _CODES[category]
    return value - (1 << 32) if value >= 1 << 31 else value


def _int32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def sketch(features):
    """Tokens and index keys for a Features."""
    pairs = tokens_of(features)
    codes = tuple(sorted({_code(category, text) for category, text in pairs}))
    anchors = [code & 0xFFFFFFFF for code in codes if code & 0xF in _ANCHORS]
    keys = set()
    if anchors:
        minima = [min((a * x + b) % _PRIME for x in anchors) for a, b in _SEEDS]
        for band in range(BANDS):
            row = minima[band * ROWS:(band + 1) * ROWS]
            keys.add(_int32(zlib.crc32(f"{band}:{row}".encode())))
    if features.tables:
        keys.add(_int32(zlib.crc32(("tables:" + ",".join(features.tables)).encode())))
    return Sketch(codes, tuple(sorted(keys)))


def weight(code):
    return _WEIGHTS.get(code & 0xF, 0.0)


def similarity(left, right):
    """Weighted Jaccard index of two token-code collections, from 0 to 1."""
    left, right = set(left), set(right)
    union = sum(weight(c) for c in left | right)
    if not union:
        return 0.0
    return sum(weight(c) for c in left & right) / union
