"""deadlock: opposite lock order deadlocks, the watchdog sees it within 1 s, Stop ends it.

The two fixes (lock ordering, acquire with timeout) finish without one.
"""

from __future__ import annotations

import pytest

from scenarios.engine.events import Mark, Table, Worker
from scenarios.engine.watchdog import WaitEdge, find_cycle
from scenarios.lessons import catalogue
from scenarios.lessons.deadlock import FINISHED, STOPPED, WATCHDOG
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
LESSON = catalogue.get("deadlock")
# Short work keeps each run a few tenths of a second; the deadlock forms just the same.
QUICK = {"transfers": 2, "work_s": 0.05, "timeout_s": 0.05, "backoff_s": 0.1}
# The promise: the deadlock is detected within 1 s of forming, and Stop ends it in 1 s.
DETECT_S = 1.0


def worker(n: int) -> Worker:
    return Worker(1, n, f"Thread {n}")


def test_find_cycle_finds_the_two_thread_cycle_and_nothing_else() -> None:
    a_waits_b = WaitEdge(worker(1), "lock B", worker(2))
    b_waits_a = WaitEdge(worker(2), "lock A", worker(1))
    c_waits_a = WaitEdge(worker(3), "lock A", worker(1))
    assert find_cycle([a_waits_b]) == []
    assert find_cycle([c_waits_a, a_waits_b]) == []
    assert set(find_cycle([c_waits_a, a_waits_b, b_waits_a])) == {a_waits_b, b_waits_a}
    assert a_waits_b.describe() == "Thread 1 waits for lock B held by Thread 2"


@pytest.mark.parametrize("backend", BACKENDS)
def test_at_defaults_the_deadlock_is_detected_and_reported(run_lesson, backend: str) -> None:
    result, events = run_lesson("deadlock", {**QUICK, "hold_s": 0.3}, backend)
    values = check_finished(result, LESSON)
    assert values["deadlocked"] is True
    assert sorted(values["cycle"]) == ["Thread 1 waits for lock B held by Thread 2",
                                       "Thread 2 waits for lock A held by Thread 1"]
    assert 0 <= values["detected_after_s"] < DETECT_S
    assert values["ended_by"] == WATCHDOG
    assert values["transfers"] == 0
    tables = [e for e in events if isinstance(e, Table) and e.name == "wait-for"]
    assert tables and len(tables[-1].rows) == 2
    marked = {e.worker.name for e in events
              if isinstance(e, Mark) and e.label.startswith("deadlocked")}
    assert marked == {"Thread 1", "Thread 2"}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fix", ["lock_ordering", "acquire_timeout"])
def test_either_fix_finishes_without_a_deadlock(run_lesson, backend: str, fix: str) -> None:
    result, events = run_lesson("deadlock", {**QUICK, fix: True, "hold_s": 0.0}, backend)
    values = result.values
    assert result.error is None and not result.stopped
    assert values["deadlocked"] is False and values["cycle"] == []
    assert values["ended_by"] == FINISHED
    assert values["transfers"] == 2 * QUICK["transfers"]
    assert not [e for e in events if isinstance(e, Table)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_the_deadlock_within_a_second(backend: str) -> None:
    result = check_stop_when(
        "deadlock", {"hold_s": 0.0}, backend,  # 0: deadlocked until Stop
        lambda events: any(isinstance(e, Mark) and e.label == "deadlock detected" for e in events),
        timeout=20, settle_s=0.5, settle="a deadlock must not end on its own",
        late="Stop did not end the deadlock within 1 s")
    # The stopped run still says what happened.
    assert result.values["deadlocked"] is True
    assert result.values["ended_by"] == STOPPED
    assert len(result.values["cycle"]) == 2


def test_the_defaults_deadlock_and_give_up_after_a_few_seconds() -> None:
    defaults = LESSON.resolve({})
    assert not defaults["lock_ordering"] and not defaults["acquire_timeout"]
    assert 0 < defaults["hold_s"] <= 10
