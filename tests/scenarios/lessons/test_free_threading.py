"""free_threading: the same threads with the GIL and without it, each side on its own Python."""

from __future__ import annotations

import pytest

from scenarios.engine import interpreters
from scenarios.lessons import catalogue, free_threading
from tests.support import check_finished

LESSON = catalogue.get("free_threading")
FREE = interpreters.first_found(interpreters.without_gil)
needs_free = pytest.mark.skipif(FREE is None, reason="no free-threaded Python: make freethreaded")
SMALL = {"workers": 2, "work_m": 1}


def test_with_no_free_threaded_python_it_says_how_to_get_one_and_runs_its_gil_half(
        run_lesson, monkeypatch) -> None:
    mine = interpreters.this_python()
    monkeypatch.setattr(free_threading, "first_found",
                        lambda wanted: mine if wanted(mine) else None)
    result, _ = run_lesson("free_threading", {**SMALL, "increments": 1000}, "thread")
    values = check_finished(result, LESSON)
    assert values["nogil_python"] is None and "uv python install" in values["caveat"]
    assert values["gil_python"] == mine.label and values["gil_threads_s"] > 0
    assert [p.series for p in LESSON.speedups(values)] == ["threads, GIL on"]


@needs_free
@pytest.mark.parametrize("backend", ["thread", "process"])
def test_without_the_gil_the_plain_increment_loses_updates(run_lesson, backend: str) -> None:
    result, _ = run_lesson("free_threading", {**SMALL, "increments": 200_000}, backend)
    values = check_finished(result, LESSON)
    assert "GIL off" in values["nogil_python"] and "GIL on" in values["gil_python"]
    assert values["nogil_lost_updates"] > 0
    assert {p.series for p in LESSON.speedups(values)} == {"threads, GIL on", "threads, GIL off"}


@needs_free
def test_a_lock_fixes_the_race_on_both_pythons(run_lesson) -> None:
    result, _ = run_lesson("free_threading", {**SMALL, "increments": 100_000, "use_lock": True},
                           "process")
    values = check_finished(result, LESSON)
    assert values["gil_lost_updates"] == 0 and values["nogil_lost_updates"] == 0
