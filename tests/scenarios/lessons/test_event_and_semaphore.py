"""event_and_semaphore: nobody starts before the gun; never more than n threads inside at once."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Mark, Metric, Span
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
LESSON = catalogue.get("event_and_semaphore")
# Short stays keep a run near half a second while threads still crowd the semaphore.
QUICK = {"threads": 5, "limit": 2, "rounds": 2, "inside_s": 0.05, "outside_s": 0.0,
         "gun_delay": 0.1}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_never_more_than_n_inside(run_lesson, backend: str, limit: int) -> None:
    result, events = run_lesson("event_and_semaphore", {**QUICK, "limit": limit}, backend)
    values = check_finished(result, LESSON)
    assert 1 <= values["max_inside"] <= limit
    assert values["entries"] == QUICK["threads"] * QUICK["rounds"]
    assert values["entered_before_gun"] == 0
    inside = [e.value for e in events if isinstance(e, Metric) and e.name == "inside"]
    assert inside and max(inside) <= limit and inside[-1] == 0
    # The timeline shows the threads waiting for the semaphore and being inside.
    labels = {e.label for e in events if isinstance(e, Span)}
    assert {"inside", "waiting for the start gun"} <= labels


def test_at_defaults_the_limit_is_reached_and_held(run_lesson) -> None:
    result, events = run_lesson("event_and_semaphore", {}, "thread")
    values = result.values
    assert values["max_inside"] == values["limit"] == LESSON.resolve({})["limit"]
    assert values["entered_before_gun"] == 0
    waits = [e for e in events if isinstance(e, Span) and e.label == "waiting for the semaphore"]
    assert waits, "with more threads than permits, some must wait"


def test_without_the_semaphore_every_thread_is_inside_together(run_lesson) -> None:
    result, _ = run_lesson("event_and_semaphore",
                           {**QUICK, "use_semaphore": False, "inside_s": 0.2}, "thread")
    assert result.values["max_inside"] == QUICK["threads"]


def test_the_gun_comes_before_any_entry(run_lesson) -> None:
    _, events = run_lesson("event_and_semaphore", QUICK, "thread")
    gun = next(e.time for e in events if isinstance(e, Mark) and e.label.startswith("start gun"))
    entered = [e.start for e in events if isinstance(e, Span) and e.label == "inside"]
    assert entered and min(entered) >= gun


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_mid_run_ends_within_a_second(backend: str) -> None:
    check_stop_when(
        "event_and_semaphore", {"inside_s": 5.0, "rounds": 20}, backend,
        lambda events: any(isinstance(e, Metric) and e.name == "inside" and e.value
                           for e in events),
        timeout=20)
