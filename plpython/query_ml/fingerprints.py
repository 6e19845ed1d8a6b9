"""Fingerprints and normalized text: the only forms of a query that query_ml keeps."""
from pglast import parser as _parser

from . import literals
from .parsing import PARSER_VERSION, one_statement


def fingerprint(plpy, sql):
    """The pglast fingerprint: equal for queries that differ only in literals."""
    return _parser.fingerprint(one_statement(plpy, sql))


def normalize(plpy, sql):
    """sql with every literal replaced by $n and its comments removed; a whole IN list or
    ARRAY of literals becomes one $n, so list lengths do not matter (see literals)."""
    return literals.canonical(plpy, sql)[0]


def parser_version(plpy):
    """The parser behind every fingerprint; stored beside each one."""
    return PARSER_VERSION
