"""Fingerprints and normalized text: the only forms of a query that query_ml keeps."""
from pglast import parser as _parser

from .parsing import PARSER_VERSION, one_statement, strip_comments


def fingerprint(plpy, sql):
    """The pglast fingerprint: equal for queries that differ only in literals."""
    return _parser.fingerprint(one_statement(plpy, sql))


def normalize(plpy, sql):
    """sql with every literal replaced by $n and its comments removed."""
    one_statement(plpy, sql)
    return _parser.normalize(strip_comments(sql)).strip().rstrip(";").rstrip()


def parser_version(plpy):
    """The parser behind every fingerprint; stored beside each one."""
    return PARSER_VERSION
