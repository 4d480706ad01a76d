"""A lesson's "what to try" as a checklist: each item tells from a finished run if it was done."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class TriedRun:
    """One finished run as a try sees it: back end, parameters, result values, how it ended."""

    backend: str
    params: Mapping[str, Any]  # every parameter, as it was at the end (live ones may have moved)
    values: Mapping[str, Any] = field(default_factory=dict)  # {} if it failed or was stopped
    error: str | None = None
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when the lesson ran to its end and returned a result."""
        return self.error is None and not self.stopped


Check = Callable[[TriedRun], bool]
Test = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Try:
    """One thing to try in a lesson, and how to tell from a finished run that it was tried."""

    text: str
    done: Check

    def done_by(self, run: TriedRun) -> bool:
        """True if this run did what the try asks; a check that fails on odd values says no."""
        try:
            return bool(self.done(run))
        except Exception:  # a lesson's check must never break the window: not done
            return False


def tried(tries: tuple[Try, ...], run: TriedRun) -> list[Try]:
    """The tries this run did, in the lesson's order."""
    return [t for t in tries if t.done_by(run)]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def more_than(limit: float) -> Callable[[Any], bool]:
    """A test: a number above `limit`."""
    return lambda value: _number(value) and value > limit


def at_least(limit: float) -> Callable[[Any], bool]:
    """A test: a number of `limit` or more."""
    return lambda value: _number(value) and value >= limit


def other_than(default: Any) -> Callable[[Any], bool]:
    """A test: any value but `default` (the parameter was changed)."""
    return lambda value: value != default


def where(**tests: Any) -> Test:
    """A test of a mapping: each key is there and equals its value, or passes it if callable."""
    def test(mapping: Mapping[str, Any]) -> bool:
        for key, want in tests.items():
            if key not in mapping:
                return False
            value = mapping[key]
            if not (want(value) if callable(want) else value == want):
                return False
        return True
    return test


def compare(left: str, op: str, right: str) -> Test:
    """A test of a mapping: the numbers under two keys compare so (`op`: <, <=, > or >=)."""
    def test(mapping: Mapping[str, Any]) -> bool:
        a, b = mapping.get(left), mapping.get(right)
        return _number(a) and _number(b) and COMPARISONS[op](a, b)
    return test


def ran(backend: str | None = None, *, given: Test | None = None, result: Test | None = None,
        **params: Any) -> Check:
    """A run that ended on its own, on `backend` if named, with these parameter values.

    A value may be a test (see `where`). The run's parameters must also pass `given`, and its
    result values `result`.
    """
    matches = where(**params)

    def check(run: TriedRun) -> bool:
        return (run.ok and (backend is None or run.backend == backend) and matches(run.params)
                and (given is None or given(run.params))
                and (result is None or result(run.values)))
    return check


def any_of(*checks: Check) -> Check:
    """A run that passes at least one of the checks."""
    return lambda run: any(check(run) for check in checks)


def raced(use_lock: bool) -> Check:
    """A race lesson's run: with the lock on and nothing lost, or with it off and updates lost."""
    return ran(use_lock=use_lock, result=where(lost_updates=0 if use_lock else more_than(0)))


def stepped(schedule: Any) -> bool:
    """A result test: the run was stepped (step mode adds the schedule played)."""
    return bool(schedule)


def stepped_into_deadlock(run: TriedRun) -> bool:
    """A run in step mode that reached a deadlock (stopped, as a deadlocked run must be)."""
    return bool(run.values.get("step_deadlock"))
