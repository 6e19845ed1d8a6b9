"""timeouts.statement_limit against a stand-in for the server's timer (utils/misc/timeout.c of
PostgreSQL 15), with a clock the test moves: no real time passes, so nothing here depends on
the machine's speed.  tests/server/test_tracking.py and test_attacks.py check it in a server."""
import ctypes

import pytest

from query_ml import timeouts

from .fake_plpy import FakePlpy, raises_sql

STATEMENT_TIMEOUT = timeouts.STATEMENT_TIMEOUT
MS = 1000       # the server counts in microseconds


class QueryCanceled(Exception):
    """What CHECK_FOR_INTERRUPTS raises for a pending cancellation."""


class ServerTimer:
    """The STATEMENT_TIMEOUT timer as timeout.c keeps it, and the functions timeouts.py calls.

    As in the server: enabling it clears its "fired" indicator; when its time comes it sets the
    indicator, asks for a cancellation (QueryCancelPending) and, if it repeats, enables itself
    again; disable_timeout(id, keep_indicator=False) clears the indicator."""

    def __init__(self, repeating=True, now=800_000_000 * MS):
        self.now, self.fin_time, self.interval_ms, self.indicator = now, None, 0, False
        self.cancel_pending = ctypes.c_int(0)
        self.repeat = self.enable_timeout_every if repeating else None

    def _enable(self, fin_time, interval_ms=0):
        self.fin_time, self.interval_ms, self.indicator = fin_time, interval_ms, False

    def GetCurrentTimestamp(self):     # noqa: N802 (the server's names)
        return self.now

    def enable_timeout_after(self, timer, delay_ms):
        assert timer == STATEMENT_TIMEOUT
        self._enable(self.now + delay_ms * MS)

    def enable_timeout_at(self, timer, fin_time):
        assert timer == STATEMENT_TIMEOUT
        self._enable(fin_time)

    def enable_timeout_every(self, timer, fin_time, interval_ms):
        assert timer == STATEMENT_TIMEOUT
        self._enable(fin_time, interval_ms)

    def disable_timeout(self, timer, keep_indicator):
        assert timer == STATEMENT_TIMEOUT
        self.fin_time = None
        if not keep_indicator:
            self.indicator = False

    def get_timeout_active(self, timer):
        return self.fin_time is not None

    def get_timeout_finish_time(self, timer):
        return self.fin_time

    def get_timeout_indicator(self, timer, reset):
        fired = self.indicator
        if fired and reset:
            self.indicator = False
        return fired

    # What happens meanwhile in the backend -------------------------------------------------------

    def runs_for(self, ms):
        """Time passes; the signal handler fires the timer whenever it is due."""
        end = self.now + ms * MS
        while self.fin_time is not None and self.fin_time <= end:
            self.now, self.fin_time = self.fin_time, None
            self.indicator = True
            self.cancel_pending.value = 1
            if self.interval_ms:
                self._enable(self.now + self.interval_ms * MS, self.interval_ms)
        self.now = end

    def check_for_interrupts(self):
        """ProcessInterrupts: a pending cancellation is raised, and the timer's indicator read."""
        if self.cancel_pending.value:
            self.cancel_pending.value = 0
            self.get_timeout_indicator(STATEMENT_TIMEOUT, True)
            raise QueryCanceled


@pytest.fixture
def server(monkeypatch):
    timer = ServerTimer()
    monkeypatch.setattr(timeouts, "_lib", timer)
    return timer


def test_the_limit_is_armed_to_repeat_and_disarmed_afterwards(plpy, server):
    start = server.now
    with timeouts.statement_limit(plpy, 250) as timer:
        assert (server.fin_time, server.interval_ms) == (start + 250 * MS, timeouts.REPEAT_MS)
        server.runs_for(249)
    assert not server.get_timeout_active(STATEMENT_TIMEOUT)
    assert timer == {"fired": False} and server.cancel_pending.value == 0


def test_the_callers_sooner_timeout_shortens_the_limit_and_is_put_back(plpy, server):
    start = server.now
    server.enable_timeout_at(STATEMENT_TIMEOUT, start + 300 * MS)        # the caller's statement_timeout
    with timeouts.statement_limit(plpy, 1000):
        assert server.fin_time == start + 300 * MS
        server.runs_for(100)
    assert (server.fin_time, server.interval_ms) == (start + 300 * MS, 0)   # as it was: once, at its time


def test_the_callers_later_timeout_is_put_back_after_a_shorter_limit(plpy, server):
    start = server.now
    server.enable_timeout_at(STATEMENT_TIMEOUT, start + 60_000 * MS)
    with timeouts.statement_limit(plpy, 200):
        assert server.fin_time == start + 200 * MS
        server.runs_for(150)
    assert (server.fin_time, server.interval_ms) == (start + 60_000 * MS, 0)


def test_a_caller_timeout_due_in_under_a_millisecond_leaves_one(plpy, server):
    start = server.now
    server.enable_timeout_at(STATEMENT_TIMEOUT, start + 400)
    with timeouts.statement_limit(plpy, 1000):
        assert server.fin_time == start + 1 * MS


def test_the_callers_timer_is_put_back_when_the_measured_code_fails(plpy, server):
    start = server.now
    server.enable_timeout_at(STATEMENT_TIMEOUT, start + 5000 * MS)
    with pytest.raises(QueryCanceled):
        with timeouts.statement_limit(plpy, 100):
            server.runs_for(150)
            server.check_for_interrupts()
    assert server.fin_time == start + 5000 * MS and server.cancel_pending.value == 0


def test_without_repeating_timers_the_limit_fires_once(plpy, monkeypatch):
    server = ServerTimer(repeating=False)       # before PostgreSQL 15: no enable_timeout_every
    monkeypatch.setattr(timeouts, "_lib", server)
    start = server.now
    with timeouts.statement_limit(plpy, 75):
        assert (server.fin_time, server.interval_ms) == (start + 75 * MS, 0)
    assert not server.get_timeout_active(STATEMENT_TIMEOUT)


@pytest.mark.parametrize("caught", [False, True], ids=["pending", "caught"])
def test_reaching_the_limit_is_known_afterwards_and_its_cancellation_withdrawn(plpy, server, caught):
    """Measured code that caught the cancellation and went on, or ended before the next check for
    interrupts: the limit was reached all the same, and no cancellation of this timer is left to
    surface later, in some other statement."""
    with timeouts.statement_limit(plpy, 100) as timer:
        server.runs_for(100)
        if caught:
            with pytest.raises(QueryCanceled):
                server.check_for_interrupts()
        server.runs_for(25)             # fired again at 110 and 120 ms
    assert timer["fired"]
    assert server.cancel_pending.value == 0


@pytest.mark.parametrize("version", ["110022", "180000", "90600"])
def test_a_server_of_another_version_is_refused(monkeypatch, version):
    monkeypatch.setattr(timeouts, "_lib", None)
    plpy = FakePlpy([("server_version_num", [{"v": version}])])
    with raises_sql("0A000") as info:
        timeouts.statement_limit(plpy, 100).__enter__()
    assert str(info.value) == f"ml_track cannot time statements on server version {version}"
    assert "PostgreSQL 12 to 17" in info.value.detail
    assert timeouts._lib is None        # asked again next time, not remembered as usable
