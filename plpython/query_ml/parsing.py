"""Parsing one SQL statement with pglast, and turning parser failures into clear errors.

Error messages never repeat a literal of the query: the parser says
``at or near "'4111...'"``, which would carry a secret into the server log.
"""
import json
import re

import pglast
from pglast import parser as _parser

from .errors import INVALID_PARAMETER_VALUE, PROGRAM_LIMIT_EXCEEDED, STATEMENT_TOO_COMPLEX, SYNTAX_ERROR, fail

PARSER_VERSION = "pglast {} (PostgreSQL {}.{} grammar)".format(
    pglast.__version__.lstrip("v"), *_parser.get_postgresql_version()
)

_LITERAL_TOKENS = {"SCONST", "USCONST", "BCONST", "XCONST", "ICONST", "FCONST", "PARAM"}
_COMMENT_TOKENS = {"C_COMMENT", "SQL_COMMENT"}
_NEAR = re.compile(r'at or near "(.*)"$', re.S)
_LITERAL_START = re.compile(r"""^(?:[eEbBxXnN]?'|[uU]&'|\$|\d|\.\d)""")


# A query this long takes seconds to parse; a longer one is refused rather than left to
# hold a backend for minutes.
MAX_QUERY_BYTES = 2 * 1024 * 1024


def one_statement(plpy, sql):
    """Return sql if it holds exactly one statement that parses; raise otherwise."""
    size = len(sql.encode())
    if size > MAX_QUERY_BYTES:
        fail(plpy, PROGRAM_LIMIT_EXCEEDED, f"query is {size / 1048576:.1f} MB; query_ml reads queries up to 2 MB",
             hint="Shorten it, for example by passing long lists of values as one array parameter.")
    try:
        statements = _parser.split(sql)
    except _parser.ParseError as error:
        raise_parse_error(plpy, sql, error)
    if not statements:
        fail(plpy, INVALID_PARAMETER_VALUE, "query text is empty",
             hint="Pass one SQL statement, for example SELECT * FROM t WHERE id = 1.")
    if len(statements) > 1:
        fail(plpy, SYNTAX_ERROR, f"expected one SQL statement, got {len(statements)}",
             hint="Pass the statements one at a time.")
    return sql


def parse_tree(plpy, sql):
    """Return the parse tree of the single statement in sql, as pglast's JSON form."""
    one_statement(plpy, sql)
    try:
        return json.loads(_parser.parse_sql_json(sql))["stmts"][0]["stmt"]
    except _parser.ParseError as error:     # split() may pass what the full parser finds too deep
        raise_parse_error(plpy, sql, error)
    except RecursionError:
        fail(plpy, STATEMENT_TOO_COMPLEX, "query is nested too deeply for query_ml to parse",
             detail="Its parse tree is deeper than Python's recursion limit.",
             hint="Flatten the nested subqueries or expressions.")


def strip_comments(sql):
    """Drop comments, which may hold anything, but keep optimizer hints (/*+ ... */)."""
    try:
        comments = _parser.comments(sql)
    except _parser.ParseError:
        return sql
    spans, position = [], 0
    for comment in comments:
        if comment.str.startswith("/*+"):
            continue
        start = sql.find(comment.str, max(comment.match_location, position))
        if start < 0:  # cannot place it: keep the text rather than guess
            return sql
        position = start + len(comment.str)
        spans.append((start, position, "\n" if comment.str.startswith("--") else " "))
    return _replace(sql, spans)


def mask_literals(sql):
    """sql with every literal token replaced by '?' and every comment by a space, or None if it
    does not scan."""
    try:
        tokens = _parser.scan(sql)
    except _parser.ParseError:
        return None
    parts, position = [], 0
    for token in tokens:
        if token.name in _COMMENT_TOKENS:
            continue
        parts += [" " if token.start > position else "",   # white space or comments between
                  "?" if token.name in _LITERAL_TOKENS else sql[token.start:token.end + 1]]
        position = token.end + 1
    return "".join(parts)


_PLANNED_STARTS = {"SELECT", "INSERT", "UPDATE", "DELETE_P", "WITH", "VALUES", "TABLE", "MERGE", "ASCII_40"}


def planned(sql):
    """Whether sql is a planned statement (SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, TABLE,
    WITH), not a utility one, by its first token: pg_stat_statements gives a utility statement
    the hash of its text as queryid, literals included."""
    try:
        tokens = [t for t in _parser.scan(sql) if t.name not in _COMMENT_TOKENS]
    except _parser.ParseError:
        return False
    # SELECT ... INTO makes a table: a utility statement for pg_stat_statements (INSERT INTO and
    # MERGE INTO are not).
    into = any(t.name == "INTO" and (i == 0 or tokens[i - 1].name not in ("INSERT", "MERGE"))
               for i, t in enumerate(tokens))
    return bool(tokens) and tokens[0].name in _PLANNED_STARTS and not into


_OTHER_VALUE = {"SCONST": "'qml'", "USCONST": "'qml'", "BCONST": "B'1'", "XCONST": "X'1F'", "FCONST": "7.5"}


def with_other_values(sql):
    """sql with every literal given another value of its kind (1 becomes 2, 'a' becomes 'qml'),
    or None if it does not scan: a fingerprint that stays the same holds none of the values."""
    try:
        tokens = _parser.scan(sql)
    except _parser.ParseError:
        return None
    spans = []
    for token in tokens:
        if token.name == "ICONST":
            text = sql[token.start:token.end + 1]
            spans.append((token.start, token.end + 1, str(int(text) + 1) if text.isdigit() else "7"))
        elif token.name in _OTHER_VALUE:
            spans.append((token.start, token.end + 1, _OTHER_VALUE[token.name]))
    return _replace(sql, spans)


def literal_free(sql):
    """Whether sql scans and holds no literal and no comment: only names, keywords, operators
    and $n parameters (as pg_stat_statements writes a normalized statement)."""
    try:
        tokens = _parser.scan(sql)
    except _parser.ParseError:
        return False
    return all(t.name == "PARAM" or t.name not in _LITERAL_TOKENS | _COMMENT_TOKENS for t in tokens)


# Characters that scan as one token when side by side: a name or number, or an operator
# ("-" then "-5" starts a comment; "b" then "'1'" is a bit string).
_WORD = re.compile(r"[\w$]")
_OPERATOR = set("+-*/<>=~!@#%^&|`?")


def _fuses(left, right):
    return (bool(_WORD.match(left)) and (bool(_WORD.match(right)) or right == "'")) \
        or (left in _OPERATOR and right in _OPERATOR) or left == right == "'"


def _replace(sql, spans):
    """sql with each (start, end, text) span, in order and apart, replaced by its text, and
    a space put where a replacement would otherwise run into its neighbour."""
    parts, position = [], 0
    for start, end, text in [*spans, (len(sql), len(sql), "")]:
        for piece in (sql[position:start], text):
            if piece and parts and _fuses(parts[-1][-1], piece[0]):
                parts.append(" ")
            if piece:
                parts.append(piece)
        position = end
    return "".join(parts)


def _near(text):
    """The parser's "at or near" clause, naming the token only if it is a name, keyword or
    operator; None to leave it out (an unterminated comment or quoted name runs to the end)."""
    if _LITERAL_START.match(text):
        return "at or near a literal"
    try:
        tokens = _parser.scan(text)
    except _parser.ParseError:
        tokens = ()
    if len(tokens) == 1 and tokens[0].name not in _LITERAL_TOKENS | _COMMENT_TOKENS:
        return f'at or near "{text}"'
    return None


def raise_parse_error(plpy, sql, error):
    message, location = error.args[0], error.args[1] if len(error.args) > 1 else None
    if message.startswith("stack depth limit exceeded"):
        fail(plpy, STATEMENT_TOO_COMPLEX, "query is nested too deeply to parse",
             hint="Flatten the nested subqueries or expressions.")
    near = _NEAR.search(message)
    if near:
        message = " ".join(filter(None, (message[:near.start()].rstrip(), _near(near.group(1)))))
    position = (len(sql) if location is None else location) + 1
    detail = f"The query does not parse at character {position}."
    excerpt = mask_literals(sql[:position - 1])
    if excerpt is not None:
        excerpt = " ".join(excerpt.split())[-60:]
        detail += f" It reads up to there: ...{excerpt}"
    fail(plpy, SYNTAX_ERROR, message, detail=detail,
         hint="query_ml reads PostgreSQL syntax; check the SQL near that character.")
