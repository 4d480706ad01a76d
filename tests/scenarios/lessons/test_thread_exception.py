"""thread_exception: a TypeError kills Thread-2 only; Thread-1 and main carry on."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Line, Mark
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stops_within_a_second

BACKENDS = ("thread", "process")
LESSON = catalogue.get("thread_exception")
QUICK = {"delay": 0.05, "count": 3}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_wrong_arguments_kill_only_that_thread(run_lesson, backend: str) -> None:
    result, events = run_lesson("thread_exception", {**QUICK, "wrong_args": True}, backend)
    values = check_finished(result, LESSON)
    assert values["exceptions"] == ["TypeError"]
    assert values["failed_threads"] == ["Thread-2"]
    assert values["main_finished"] is True
    # The traceback is in the console, red (stderr), on Thread-2's row.
    errors = [e for e in events if isinstance(e, Line) and e.stream == "stderr"]
    assert errors and all(e.worker.name == "Thread-2" for e in errors)
    assert errors[0].text.startswith("Traceback")
    assert errors[-1].text == ("TypeError: print_sqare() takes 1 positional argument "
                               "but 2 were given")
    marks = [e for e in events if isinstance(e, Mark) and e.label == "exception: TypeError"]
    assert [m.worker.name for m in marks] == ["Thread-2"]
    # After the exception, Thread-1 still prints every cube, and main prints Done.
    cubes = [e for e in events if isinstance(e, Line) and e.worker.name == "Thread-1"]
    assert [e.text for e in cubes] == ["Cube = 8"] * QUICK["count"]
    assert all(e.time > marks[0].time for e in cubes)
    done = [e for e in events if isinstance(e, Line) and e.worker.name == "main"]
    assert [e.text for e in done] == ["Done"] and done[0].time > cubes[-1].time


@pytest.mark.parametrize("backend", BACKENDS)
def test_with_the_right_arguments_nothing_fails(run_lesson, backend: str) -> None:
    result, events = run_lesson("thread_exception", {**QUICK, "wrong_args": False}, backend)
    assert result.values["exceptions"] == []
    assert result.values["main_finished"] is True
    assert not [e for e in events if isinstance(e, Line) and e.stream == "stderr"]
    assert "Sqare = 4" in [e.text for e in events if isinstance(e, Line)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_it_within_a_second(backend: str) -> None:
    check_stops_within_a_second("thread_exception", {"delay": 5.0, "count": 50}, backend)
