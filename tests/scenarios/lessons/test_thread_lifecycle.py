"""thread_lifecycle: every worker goes new → running/runnable → blocked → terminated."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Mark, Span
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stops_within_a_second

BACKENDS = ("thread", "process")
LESSON = catalogue.get("thread_lifecycle")
# A tenth of a second of CPU each is some twenty 5 ms windows per thread while both want the
# GIL: plenty to catch one waiting. The lock is held far longer than the gap between the two
# threads' arrivals at it (they compute and sleep alike), so the second one waits.
QUICK = {"threads": 2, "new_for": 0.1, "cpu_work": 0.1, "sleep": 0.1, "hold": 0.2}


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_thread_goes_through_the_states(run_lesson, backend: str) -> None:
    result, events = run_lesson("thread_lifecycle", QUICK, backend)
    values = check_finished(result, LESSON)
    seen = values["states_seen"]
    assert set(seen) == {"main", "worker 1", "worker 2"}
    for name in ("worker 1", "worker 2"):
        states = seen[name]
        assert states[0] == "new" and states[-1] == "terminated"
        assert {"running", "runnable", "blocked (sleep)"} <= set(states), states
        assert values["cpu_s"][name] >= QUICK["cpu_work"]  # measured on its own CPU clock
        assert values["runnable_s"][name] > 0
    assert any("blocked (lock)" in seen[name] for name in ("worker 1", "worker 2")), seen
    assert seen["main"] == ["running", "blocked (sleep)", "blocked (join)"]
    # The timeline has the bars to colour each row by state.
    kinds = {(e.worker.name, e.kind) for e in events if isinstance(e, Span)}
    for name in ("worker 1", "worker 2"):
        assert {(name, "run"), (name, "runnable"), (name, "sleep")} <= kinds
    assert {k for _, k in kinds} >= {"wait_lock", "hold_lock", "blocked"}
    for name in ("worker 1", "worker 2"):
        marks = {e.label: e.time for e in events if isinstance(e, Mark) and e.worker.name == name}
        assert marks["new"] < marks["started"] < marks["finished"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_it_within_a_second(backend: str) -> None:
    check_stops_within_a_second("thread_lifecycle", {"threads": 4, "new_for": 0.0,
                                                     "cpu_work": 5.0}, backend)
