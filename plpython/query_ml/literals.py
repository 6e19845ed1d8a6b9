"""Where the literals of a query are, and its canonical normalized text.

libpg_query's normalize() finds the literals; aligning its output with the
original text gives each literal's span.  The parse tree adds the comparison it
sits in ("orders.status:in") and whether it belongs to an IN list or ARRAY.

A value unit is one scalar literal or one whole list.  The canonical form numbers
units, not literals: "status IN ('a', 'b')" becomes "status IN ($2)", so queries
whose lists differ in length share one normalized text, as they share a fingerprint.
"""
from dataclasses import dataclass, field

from pglast import parser as _parser

from . import features
from .parsing import _replace, one_statement, parse_tree, strip_comments

_LITERALS = {"SCONST", "USCONST", "BCONST", "XCONST", "ICONST", "FCONST"}


@dataclass
class Slot:
    value: object    # the literal's source text, or None where the query had a parameter
    number: int      # that parameter's number, for a slot that is one
    context: str     # "column:kind" of the comparison it sits in, "" elsewhere
    group: object    # location of its IN list or ARRAY, or None
    start: int       # its span in the comment-free text
    end: int


@dataclass
class Unit:
    context: str
    is_list: bool
    slots: list = field(default_factory=list)

    @property
    def values(self):
        return [s.value for s in self.slots]

    @property
    def span(self):
        return self.slots[0].start, self.slots[-1].end

    def text(self):
        """The unit as SQL: its literals, or the query's own parameters, comma-separated."""
        return ", ".join(s.value if s.value is not None else f"${s.number}" for s in self.slots)


def slots(plpy, sql):
    """(comment-free text, [Slot] in text order) for one statement."""
    text = strip_comments(one_statement(plpy, sql))
    normalized = _parser.normalize(text)
    node_type, root = next(iter(parse_tree(plpy, text).items()))
    contexts = features.value_contexts(node_type, root)

    found = []
    original, norm = _parser.scan(text), _parser.scan(normalized)
    i = 0
    for token in norm:
        if i >= len(original):
            break
        if token.name == "PARAM":
            start = original[i].start
            if original[i].name == "ASCII_45" and i + 1 < len(original) and original[i + 1].name in _LITERALS:
                i += 1  # normalize folds a leading minus into the number
            last = original[i]
            is_param = last.name == "PARAM"
            value = None if is_param else text[start:last.end + 1]
            number = int(text[last.start + 1:last.end + 1]) if is_param else 0
            context, group = contexts.get(start, ("", None))
            found.append(Slot(value, number, context, group, start, last.end + 1))
        i += 1
    return text, found


def units(found):
    """Slots folded into value units, in text order."""
    out = []
    for slot in found:
        if slot.group is not None and out and out[-1].is_list and out[-1].slots[-1].group == slot.group:
            out[-1].slots.append(slot)
        else:
            out.append(Unit(slot.context, slot.group is not None, [slot]))
    return out


def canonical(plpy, sql):
    """(canonical text, [Unit]): every value unit replaced by $k, k counting units."""
    text, found = slots(plpy, sql)
    value_units = units(found)
    replacements = [(*unit.span, f"${k}") for k, unit in enumerate(value_units, start=1)]
    return _replace(text, replacements).strip().rstrip(";").rstrip(), value_units
