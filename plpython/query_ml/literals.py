"""Where the literals of a query are, and its canonical normalized text.

The parse tree names every constant (A_Const) and parameter (ParamRef) with its
location, for every statement kind; the scanner gives each one's span in the text.
The tree also gives a constant's decoded value ('S' and $$S$$ are one value), the
comparison it sits in ("orders.status:in") and whether it belongs to an IN list or
ARRAY.  Plain integers that are structure, not values (varchar(20), ORDER BY 1), stay.

A value unit is one scalar literal or one whole list.  The canonical form numbers
units, not literals: "status IN ('a', 'b')" becomes "status IN ($2)", so queries
whose lists differ in length share one normalized text, as they share a fingerprint.
A statement with a literal that no parameter can stand for (COPY's file name) has
no canonical form: it is refused rather than stored with that literal.
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pglast import parser as _parser

from . import features
from .errors import INVALID_PARAMETER_VALUE, fail
from .parsing import _replace, one_statement, parse_tree, strip_comments

LITERAL_TOKENS = {"SCONST", "USCONST", "BCONST", "XCONST", "ICONST", "FCONST"}
_KEYWORD_CONSTANTS = {"TRUE_P", "FALSE_P", "NULL_P"}
_MINUS, _OPEN, _CLOSE = "ASCII_45", "ASCII_40", "ASCII_41"


@dataclass
class Slot:
    value: object    # the literal's source text, or None where the query had a parameter
    number: int      # that parameter's number, for a slot that is one
    context: str     # "column:kind" of the comparison it sits in, "" elsewhere
    group: object    # location of its IN list or ARRAY, or None
    start: int       # its span in the comment-free text
    end: int
    decoded: object = None   # the value the parser reads ('a''b' -> a'b), None for NULL or a parameter

    @property
    def key(self):
        return key(self.decoded)


@dataclass
class Unit:
    context: str
    is_list: bool
    slots: list = field(default_factory=list)

    @property
    def values(self):
        return [s.value for s in self.slots]

    @property
    def key(self):
        return sorted(s.key for s in self.slots if s.value is not None)

    @property
    def span(self):
        return self.slots[0].start, self.slots[-1].end

    def text(self):
        """The unit as SQL: its literals, or the query's own parameters, comma-separated."""
        return ", ".join(s.value if s.value is not None else f"${s.number}" for s in self.slots)


_SETTINGS = {"VariableSetStmt", "AlterSystemStmt", "AlterRoleSetStmt", "AlterDatabaseSetStmt"}


@dataclass
class Statement:
    text: str        # comment-free, N'x' spelled NCHAR 'x'
    kind: str        # "SELECT", "COPY", ...
    slots: list      # [Slot] in text order: what can become $n
    loose: list      # [(start, end)] of literals outside any expression (COPY's file name, COMMENT's text)


def read(plpy, sql):
    """The Statement of the single statement in sql."""
    text = _spell_nchar(strip_comments(one_statement(plpy, sql)))
    node_type, root = next(iter(parse_tree(plpy, text).items()))
    contexts = features.value_contexts(node_type, root)
    tokens = _parser.scan(text)
    at = _by_location(text, tokens)
    found, covered, words = [], set(), []
    for kind, node, _ in features._walk(node_type, root):
        for const in _fixed(kind, node):
            span = _span(tokens, at[const["location"]]) if const.get("location", -1) in at else None
            if span and tokens[span[1]].name == "ICONST":
                covered.update(range(span[0], span[1] + 1))
        if kind not in ("A_Const", "ParamRef") or node.get("location", -1) not in at:
            continue
        i = at[node["location"]]
        span = _span(tokens, i) if kind == "A_Const" else (i, i)
        if span is None and node_type in _SETTINGS and tokens[i].name == "IDENT":
            words.append((tokens[i].start, tokens[i].end + 1))     # SET x = word: a value, but no $n fits there
        if span is None or span[0] in covered:
            continue    # structure, or no literal there (INTERVAL '1' DAY's mask, SET x = off's keyword)
        first, last = span
        covered.update(range(first, last + 1))
        start, end = tokens[first].start, tokens[last].end + 1
        context, group = contexts.get(node["location"], ("", None))
        if kind == "ParamRef":
            found.append(Slot(None, node.get("number", 0), context, group, start, end))
        else:
            found.append(Slot(text[start:end], 0, context, group, start, end, _decoded(node)))
    found.sort(key=lambda s: s.start)
    loose = [(t.start, t.end + 1) for i, t in enumerate(tokens) if t.name in LITERAL_TOKENS and i not in covered]
    loose = sorted(loose + words)
    return Statement(text, features.KINDS.get(node_type) or features._snake(node_type), found, loose)


def _by_location(text, tokens):
    """{location: token index}: the tree counts locations in bytes, the scanner in characters."""
    if text.isascii():
        return {t.start: i for i, t in enumerate(tokens)}
    at, position, size = {}, 0, 0
    for i, t in enumerate(tokens):
        size += len(text[position:t.start].encode())
        position = t.start
        at[size] = i
    return at


def _fixed(kind, node):
    """Constants that are structure, not values, where they are plain integers: a type's size
    (varchar(20)) and a column's position (ORDER BY 1, GROUP BY 2).  They stay in the text."""
    candidates = list(node.get("typmods") or ())
    if kind == "SortBy":
        candidates.append(node.get("node") or {})
    if kind == "SelectStmt":
        candidates += node.get("groupClause") or ()
    return [c["A_Const"] for c in candidates if "A_Const" in c]


def _span(tokens, i):
    """(first, last) token of the constant the parser places at token i, or None if no literal is there."""
    if tokens[i].name in _KEYWORD_CONSTANTS:
        return i, i
    first, opened = i, 0
    while i + 1 < len(tokens) and tokens[i].name in (_MINUS, _OPEN):
        opened += tokens[i].name == _OPEN
        i += 1
    if tokens[i].name not in LITERAL_TOKENS:
        return None
    if tokens[i].name not in ("ICONST", "FCONST"):
        first, opened = i, 0    # the parser folds a minus into a number (-5, -(5)), not into -'5'
    last = i + 2 if tokens[i].name == "USCONST" and tokens[i + 1:i + 2] and tokens[i + 1].name == "UESCAPE" else i
    for _ in range(opened):
        last += 1
        if last >= len(tokens) or tokens[last].name != _CLOSE:
            return None
    return first, last


def _spell_nchar(text):
    """N'x' as NCHAR 'x': the same constant, whose 'x' can become $n (N$1 would be a name)."""
    try:
        tokens = _parser.scan(text)
    except _parser.ParseError:
        return text
    return _replace(text, [(t.start, t.end + 1, "NCHAR") for t in tokens if t.name == "NCHAR" and t.start == t.end])


def _decoded(node):
    for name in ("sval", "ival", "fval", "bsval", "boolval"):
        if name in node:
            value = node[name].get(name, {"ival": 0, "boolval": False}.get(name, ""))
            return str(value).lower() if name == "boolval" else str(value)
    return None


def key(decoded):
    """What two spellings of one value share: 'S' = $$S$$, 42 = '42' = 42.0."""
    return "null" if decoded is None else _number(decoded) or "s:" + decoded


def _number(text):
    """A number's exact value as text (1.0 and 1 alike), or None for text that is not one."""
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    sign, digits, exponent = number.as_tuple()
    digits = "".join(map(str, digits)).lstrip("0")
    significant = digits.rstrip("0")
    if not significant:
        return "n:0"
    return f"n:{'-' if sign else ''}{significant}e{exponent + len(digits) - len(significant)}"


def units(found):
    """Slots folded into value units, in text order."""
    out = []
    for slot in found:
        if slot.group is not None and out and out[-1].is_list and out[-1].slots[-1].group == slot.group:
            out[-1].slots.append(slot)
        else:
            out.append(Unit(slot.context, slot.group is not None, [slot]))
    return out


def parameterized(statement):
    """(text with every value unit replaced by $k, k counting units; [Unit])."""
    value_units = units(statement.slots)
    replacements = [(*unit.span, f"${k}") for k, unit in enumerate(value_units, start=1)]
    return _replace(statement.text, replacements).strip().rstrip(";").rstrip(), value_units


def canonical(plpy, sql):
    """(canonical text, [Unit]): every value unit replaced by $k, k counting units."""
    statement = read(plpy, sql)
    text, value_units = parameterized(statement)
    if statement.loose or not _same_fingerprint(statement.text, text):
        fail(plpy, INVALID_PARAMETER_VALUE,
             f"cannot normalize this {statement.kind} statement without keeping one of its values",
             detail="A value in it (a file name, a comment, a function body, an option) cannot be replaced "
                    "by a parameter, and query_ml stores no value of a query.",
             hint="Give query_ml the queries themselves (SELECT, INSERT, UPDATE, DELETE), "
                  "or this statement without that value.")
    return text, value_units


def _same_fingerprint(text, normalized):
    try:
        return _parser.fingerprint(normalized) == _parser.fingerprint(text)
    except _parser.ParseError:
        return False
