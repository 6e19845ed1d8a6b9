"""A stand-in for PL/Python's plpy module, for unit tests of pure logic.

It raises and records like plpy does, and refuses to run SQL: everything that
touches the database is tested against a real server in tests/server/.  A test
of what Python does with the rows a query returns gives canned answers instead:
FakePlpy(answers=[(text found in the query, rows)]), where rows may also be an
exception to raise or a function of the arguments; plpy.queries lists what ran.
"""
import contextlib

import pytest


class Error(Exception):
    """Like plpy.Error."""


class SPIError(Exception):
    """Like plpy.SPIError: sqlstate, and spidata (sqlerrcode, detail, hint, ...)."""

    def __init__(self, message, sqlstate=None, detail=None, hint=None):
        super().__init__(message)
        self.sqlstate = sqlstate
        self.spidata = (sqlstate, detail, hint)


class Plan:
    """What plpy.prepare returns: the query, and its argument types."""

    def __init__(self, query, types):
        self.query, self.types = query, list(types or [])


class Result(list):
    """What plpy.execute returns: the rows, as dicts."""

    def nrows(self):
        return len(self)


def _logger(level):
    def log(self, message, **details):
        self.messages.append((level, message, details))
    return log


class FakePlpy:
    Error = Error
    SPIError = SPIError

    def __init__(self, answers=()):
        self.messages = []
        self.answers = list(answers)
        self.queries = []       # (query, arguments) of each statement answered, in order

    debug, log, info, notice, warning = (_logger(level) for level in ("debug", "log", "info", "notice", "warning"))

    def error(self, message, **details):
        error = Error(message)
        for key, value in details.items():
            setattr(error, key, value)
        raise error

    def prepare(self, query, types=None):
        return Plan(query, types)

    def execute(self, query, args=None, limit=None):
        text = query.query if isinstance(query, Plan) else query
        for needle, rows in self.answers:
            if needle in text:
                self.queries.append((text, list(args) if args is not None else None))
                rows = rows(args) if callable(rows) else rows
                if isinstance(rows, BaseException):
                    raise rows
                return Result(dict(row) for row in rows)
        raise AssertionError("unit tests do not run SQL; test it in tests/server/ against a real server "
                             f"(no canned answer for: {' '.join(text.split())[:200]})")

    @contextlib.contextmanager
    def subtransaction(self):
        yield

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
