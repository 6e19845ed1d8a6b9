"""Rewrite templates: store an optimized query without its literals, and carry a new
query's literals into it.

A literal of the optimized query whose value also occurs in the original becomes the
original's parameter $k (its k-th value unit, see literals), however each spells it,
so no value from the query is stored.  Where a value occurs twice, the comparison it
sits in ("orders.status:eq") decides.  A constant that only the rewrite has (LIMIT 1,
interval '1 day') belongs to the optimization and stays.
"""
import re

from pglast import parser as _parser

from . import literals
from .errors import INVALID_PARAMETER_VALUE, fail
from .parsing import _replace, one_statement


def make_template(plpy, original, optimized):
    """The optimized query, comments removed, with the original's value units as its parameters."""
    _, known = literals.canonical(plpy, original)
    # $n of the optimized query is the original's own $n where it has one, else ml_normalize's $n.
    own = {slot.number: k for k, unit in enumerate(known, start=1) for slot in unit.slots if slot.value is None}
    statement = literals.read(plpy, optimized)
    replacements, used, kept = [], set(), []
    for unit in literals.units(statement.slots):
        if all(v is None for v in unit.values):
            replacements += [(s.start, s.end, f"${own[s.number]}") for s in unit.slots if s.number in own]
            continue
        same = [k for k, theirs in enumerate(known, start=1)
                if theirs.is_list == unit.is_list and theirs.key == unit.key]
        pick = (next((k for k in same if known[k - 1].context == unit.context and k not in used), None)
                or next((k for k in same if k not in used), None)
                or (same[0] if same else None))
        if pick is not None:
            replacements.append((*unit.span, f"${pick}"))
            used.add(pick)
            continue
        listed = {s.key for theirs in known if theirs.is_list for s in theirs.slots if s.value is not None}
        if any(s.value is not None and s.key in listed for s in unit.slots):
            fail(plpy, INVALID_PARAMETER_VALUE,
                 "the optimized query uses part of a list of the original",
                 detail="query_ml carries each IN list or ARRAY of a query as a whole.",
                 hint="Use the list whole in the optimized query, as the original does.")
        kept += [s.decoded for s in unit.slots if s.decoded is not None]
    kept += [_decode(plpy, statement.text[start:end]) for start, end in statement.loose]
    values = {s.decoded for unit in known for s in unit.slots if s.decoded is not None}
    if any(_carries(literal, values) for literal in kept):
        fail(plpy, INVALID_PARAMETER_VALUE,
             "the optimized query holds a value of the original inside a literal of its own",
             detail="query_ml stores no value of a query; it carries a value only where it stands alone.",
             hint="Write each value as a literal of its own, as the original does: "
                  "ARRAY[...] or IN (...) rather than '{...}', and 'text' || '%' rather than 'text%'.")
    return _replace(statement.text, replacements).strip().rstrip(";").rstrip()


def _decode(plpy, literal):
    """The value the parser reads from one literal token (or a SET's bare word), as text."""
    slots = literals.read(plpy, f"SELECT {literal}").slots
    return slots[0].decoded if slots else literal


def _carries(literal, values):
    """Whether a literal of the rewrite carries a value of the original: as an element of an
    array literal ('{1,2}' carries 1), or, for a value of 3 characters or more, as a whole word
    ('bob@x.com%' carries bob@x.com; 'unpaid' does not carry paid, nor '1 day' 1)."""
    if literal.startswith("{") and literal.endswith("}"):
        elements = {literals.key(e.strip().strip('"')) for e in re.split(r"[{},]", literal)}
        if elements & {literals.key(v) for v in values}:
            return True
    return any(len(v) >= 3 and v in literal and re.search(rf"(?<![\w.]){re.escape(v)}(?![\w.])", literal)
               for v in values)


def apply(plpy, template, pattern_query, sql, pattern_id):
    """The template with sql's value units in place of the pattern's parameters.

    What it returns normalizes to the template's own normalized form: a value can change
    nothing but itself, whatever its spelling.
    """
    pattern, theirs = literals.canonical(plpy, pattern_query)
    query, ours = literals.canonical(plpy, sql)
    if _shape(theirs) != _shape(ours):
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"the query does not fit pattern {pattern_id}: its literals sit in other places",
             detail=_first_difference(theirs, ours),
             hint="ml_match_pattern(sql) lists the patterns that fit this query.")
    if _fixed(query) != _fixed(pattern):
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"the query does not fit pattern {pattern_id}: a type size or a column position differs",
             detail="A size such as varchar(n), or a position such as ORDER BY n, is not the pattern's.",
             hint="ml_match_pattern(sql) lists the patterns that fit this query.")
    replacements = []
    for token in _parser.scan(template):
        if token.name == "PARAM":
            k = int(template[token.start + 1:token.end + 1])
            if 1 <= k <= len(ours):
                replacements.append((token.start, token.end + 1, ours[k - 1].text()))
    applied = one_statement(plpy, _replace(template, replacements))
    if _tokens(_normal(plpy, applied)) != _tokens(_normal(plpy, template)):
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"pattern {pattern_id} cannot be applied to this query: its values would change the statement",
             detail="With the query's values in place, the optimized text no longer normalizes to the pattern's.",
             hint="Rewrite this query by hand; ml_match_pattern(sql) lists the patterns that fit it.")
    return applied


def _normal(plpy, sql):
    """The canonical text, also of a statement with literals no parameter can replace."""
    return literals.parameterized(literals.read(plpy, sql))[0]


def _tokens(sql):
    return [(t.name, sql[t.start:t.end + 1]) for t in _parser.scan(sql)]


def _fixed(canonical_text):
    """The literals a canonical text keeps: type sizes and column positions (see literals)."""
    return [text for name, text in _tokens(canonical_text) if name in literals.LITERAL_TOKENS]


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
