"""Rewrite templates: store an optimized query without its literals, and carry a new
query's literals into it.

A literal of the optimized query that also occurs in the original becomes the
original's parameter $k (its k-th value unit, see literals), so no value from the
query is stored.  Where a value occurs twice, the comparison it sits in
("orders.status:eq") decides.  A constant that only the rewrite has (LIMIT 1,
interval '1 day') belongs to the optimization and stays.
"""
from pglast import parser as _parser

from . import literals
from .errors import INVALID_PARAMETER_VALUE, fail
from .parsing import _replace, one_statement


def _canonical_value(value):
    """'42', 42 and E'42' all count as the same value when matching literals."""
    if value[:1] in "eEbBxXnN" and value[1:2] == "'":
        value = value[1:]
    return value.strip("'")


def _key(unit):
    return sorted(_canonical_value(v) for v in unit.values if v is not None)


def make_template(plpy, original, optimized):
    """The optimized query, comments removed, with the original's value units as its parameters."""
    _, known = literals.canonical(plpy, original)
    # $n of the optimized query is the original's own $n where it has one, else ml_normalize's $n.
    own = {slot.number: k for k, unit in enumerate(known, start=1) for slot in unit.slots if slot.value is None}
    text, found = literals.slots(plpy, optimized)
    replacements, used = [], set()
    for unit in literals.units(found):
        if all(v is None for v in unit.values):
            replacements += [(s.start, s.end, f"${own[s.number]}") for s in unit.slots if s.number in own]
            continue
        same = [k for k, theirs in enumerate(known, start=1)
                if theirs.is_list == unit.is_list and _key(theirs) == _key(unit)]
        pick = (next((k for k in same if known[k - 1].context == unit.context and k not in used), None)
                or next((k for k in same if k not in used), None)
                or (same[0] if same else None))
        if pick is not None:
            replacements.append((*unit.span, f"${pick}"))
            used.add(pick)
            continue
        listed = {_canonical_value(v) for theirs in known if theirs.is_list for v in theirs.values if v is not None}
        if any(v is not None and _canonical_value(v) in listed for v in unit.values):
            fail(plpy, INVALID_PARAMETER_VALUE,
                 "the optimized query uses part of a list of the original",
                 detail="query_ml carries each IN list or ARRAY of a query as a whole.",
                 hint="Use the list whole in the optimized query, as the original does.")
    return _replace(text, replacements).strip().rstrip(";").rstrip()


def apply(plpy, template, pattern_query, sql, pattern_id):
    """The template with sql's value units in place of the pattern's parameters."""
    _, theirs = literals.canonical(plpy, pattern_query)
    _, ours = literals.canonical(plpy, sql)
    if _shape(theirs) != _shape(ours):
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"the query does not fit pattern {pattern_id}: its literals sit in other places",
             detail=_first_difference(theirs, ours),
             hint="ml_match_pattern(sql) lists the patterns that fit this query.")
    replacements = []
    for token in _parser.scan(template):
        if token.name == "PARAM":
            k = int(template[token.start + 1:token.end + 1])
            if 1 <= k <= len(ours):
                replacements.append((token.start, token.end + 1, ours[k - 1].text()))
    return one_statement(plpy, _replace(template, replacements))


def _shape(value_units):
    return [(u.context, u.is_list) for u in value_units]


def _first_difference(theirs, ours):
    def describe(unit):
        if unit is None:
            return "missing"
        return f"{'a list' if unit.is_list else 'a value'} in {unit.context or 'a clause'}"
    for i in range(max(len(theirs), len(ours))):
        left = theirs[i] if i < len(theirs) else None
        right = ours[i] if i < len(ours) else None
        if left is None or right is None or _shape([left]) != _shape([right]):
            return f"Value {i + 1} of the pattern is {describe(left)}; of the query, {describe(right)}."
    return None
