"""Recording an optimization: what was done to a query, and the improvement expected."""
from decimal import Decimal, InvalidOperation

from . import fingerprints, patterns, spi
from .errors import INVALID_PARAMETER_VALUE, fail, require


def _spelled(value):
    """A number as PostgreSQL writes it: NaN, Infinity, 101 (not Python's nan, inf, 101.0)."""
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        return "-Infinity" if value < 0 else "Infinity"
    return format(value.normalize(), "f")


def record(plpy, original, optimized, optimization_type, estimated, source, description, shared):
    """Store the optimization, with its pattern (made when there is none); returns its id."""
    require(plpy, original_query=original, optimized=optimized, optimization_type=optimization_type,
            estimated_improvement=estimated)
    try:
        estimate = Decimal(str(estimated))
    except InvalidOperation:
        estimate = Decimal("NaN")
    if not estimate.is_finite() or not Decimal(-1000) <= estimate <= Decimal(100):
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"the estimated improvement must lie between -1000 and 100 percent, not {_spelled(estimate)}",
             hint="It is the share of the query time the optimization should save: 30 means 30% faster.")
    # Twice at most: a pattern that ml_delete_pattern removed between finding it and the insert is made anew.
    for attempt in (1, 2):
        pattern_id, normalized, source_id = patterns.store_found(plpy, original, optimization_type, optimized,
                                                                 description, source, shared)
        try:
            with plpy.subtransaction():
                row = spi.run(plpy, """
                    INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, estimated_improvement,
                                                       description)
                    VALUES ($1, $2, $3, $4, $5) RETURNING id""",
                    ["bigint", "integer", "text", "numeric", "text"],
                    [pattern_id, source_id, normalized, estimate, description])
            return row[0]["id"]
        except plpy.SPIError as error:
            if getattr(error, "sqlstate", None) != "23503" or attempt == 2:
                raise


def derive(plpy, td):
    """BEFORE INSERT or UPDATE trigger on optimizations: the original query is stored normalized,
    and it must be of its pattern's shape, whatever path the row takes."""
    new = td["new"]
    text = new["original_query"]
    pattern = spi.run(plpy, "SELECT fingerprint FROM query_ml.patterns WHERE id = $1", ["bigint"], [new["pattern_id"]])
    if pattern.nrows() and pattern[0]["fingerprint"] != fingerprints.fingerprint(plpy, text):
        fail(plpy, INVALID_PARAMETER_VALUE, f"the original query does not fit pattern {new['pattern_id']}",
             detail="Its fingerprint differs from the pattern's.",
             hint="ml_record_optimization() finds or makes the pattern that fits the query.")
    if td["event"] == "UPDATE" and new["pattern_id"] != td["old"]["pattern_id"]:
        # Statistics buckets follow the stored fingerprint (CONCURRENCY.md): a move between two
        # fingerprints, possible while a pattern waits to be re-fingerprinted, is refused.
        moved = spi.run(plpy, "SELECT count(DISTINCT fingerprint) AS n FROM query_ml.patterns WHERE id IN ($1, $2)",
                        ["bigint", "bigint"], [td["old"]["pattern_id"], new["pattern_id"]])
        if moved[0]["n"] > 1:
            fail(plpy, INVALID_PARAMETER_VALUE,
                 f"optimization {new['id']} cannot move to pattern {new['pattern_id']}: their stored fingerprints differ",
                 hint="ml_refingerprint_patterns() brings patterns stored under an older parser up to date.")
    if td["event"] == "INSERT":
        patterns.source_dialect(plpy, new["source_id"], True)
    new["original_query"] = fingerprints.normalize(plpy, text)
    return "MODIFY"
