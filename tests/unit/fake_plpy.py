"""A stand-in for PL/Python's plpy module, for unit tests of pure logic.

It raises and records like plpy does, and refuses to run SQL: everything that
touches the database is tested against a real server in tests/server/.
"""
import contextlib

import pytest


class Error(Exception):
    """Like plpy.Error."""


class SPIError(Exception):
    """Like plpy.SPIError."""


def _logger(level):
    def log(self, message, **details):
        self.messages.append((level, message, details))
    return log


class FakePlpy:
    Error = Error
    SPIError = SPIError

    def __init__(self):
        self.messages = []

    debug, log, info, notice, warning = (_logger(level) for level in ("debug", "log", "info", "notice", "warning"))

    def error(self, message, **details):
        error = Error(message)
        for key, value in details.items():
            setattr(error, key, value)
        raise error

    def execute(self, *args, **kwargs):
        raise AssertionError("unit tests do not run SQL; test it in tests/server/ against a real server")

    prepare = execute

    @staticmethod
    def quote_literal(value):
        return "'" + value.replace("'", "''") + "'"

    @staticmethod
    def quote_ident(value):
        return '"' + value.replace('"', '""') + '"'


@contextlib.contextmanager
def raises_sql(sqlstate):
    """Expect a query_ml error with this SQLSTATE; yields the pytest ExceptionInfo."""
    with pytest.raises(Error) as info:
        yield info
    assert type(info.value).__name__ == "query_ml"
    assert info.value.sqlstate == sqlstate, f"{info.value.sqlstate}: {info.value}"
