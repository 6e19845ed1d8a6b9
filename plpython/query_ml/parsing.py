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
_NEAR = re.compile(r'at or near "(.*)"$', re.S)
_LITERAL_START = re.compile(r"""^(?:[eEbBxXnN]?'|[uU]&'|\$|\d|\.\d)""")


# A query this long takes seconds to analyse; a longer one is refused rather than left to
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
    except RecursionError:
        fail(plpy, STATEMENT_TOO_COMPLEX, "query is nested too deeply for query_ml to analyse",
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
    """Return sql with every literal token replaced by '?', or None if it does not scan."""
    try:
        tokens = _parser.scan(sql)
    except _parser.ParseError:
        return None
    return _replace(sql, [(t.start, t.end + 1, "?") for t in tokens if t.name in _LITERAL_TOKENS])


def _replace(sql, spans):
    """sql with each (start, end, text) span, in order and apart, replaced by its text."""
    parts, position = [], 0
    for start, end, text in spans:
        parts += [sql[position:start], text]
        position = end
    parts.append(sql[position:])
    return "".join(parts)


def raise_parse_error(plpy, sql, error):
    message, location = error.args[0], error.args[1] if len(error.args) > 1 else None
    if message.startswith("stack depth limit exceeded"):
        fail(plpy, STATEMENT_TOO_COMPLEX, "query is nested too deeply to parse",
             hint="Flatten the nested subqueries or expressions.")
    near = _NEAR.search(message)
    if near and _LITERAL_START.match(near.group(1)):
        message = message[:near.start()] + "at or near a literal"
    position = (len(sql) if location is None else location) + 1
    detail = f"The query does not parse at character {position}."
    excerpt = mask_literals(sql[:position - 1])
    if excerpt is not None:
        excerpt = " ".join(excerpt.split())[-60:]
        detail += f" It reads up to there: ...{excerpt}"
    fail(plpy, SYNTAX_ERROR, message, detail=detail,
         hint="query_ml reads PostgreSQL syntax; check the SQL near that character.")
