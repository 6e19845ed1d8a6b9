"""Recording an optimization: what was done to a query, and the improvement expected."""
from decimal import Decimal, InvalidOperation

from . import patterns, spi
from .errors import INVALID_PARAMETER_VALUE, fail, require


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
             f"the estimated improvement must lie between -1000 and 100 percent, not {estimated}",
             hint="It is the share of the query time the optimization should save: 30 means 30% faster.")
    pattern_id, found, source_id = patterns.store_found(plpy, original, optimization_type, optimized, description,
                                                        source, shared)
    row = spi.run(plpy, """
        INSERT INTO query_ml.optimizations (pattern_id, source_id, original_query, estimated_improvement, description)
        VALUES ($1, $2, $3, $4, $5) RETURNING id""",
        ["bigint", "integer", "text", "numeric", "text"],
        [pattern_id, source_id, found["normalized"], estimate, description])
    return row[0]["id"]
