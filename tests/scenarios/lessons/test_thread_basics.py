"""thread_basics: join decides whether Done waits for the threads."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Line, Mark

BACKENDS = ("thread", "process")
# Short delays keep each run about a fifth of a second; Thread 2 is the slower one.
QUICK = {"delay_1": 0.05, "delay_2": 0.1, "count": 2}


def console(events) -> list[tuple[str, str]]:
    return [(e.worker.name, e.text) for e in events if isinstance(e, Line)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_with_join_done_comes_after_the_threads(run_lesson, backend: str) -> None:
    result, events = run_lesson("thread_basics", {**QUICK, "join": True}, backend)
    assert result.error is None and not result.stopped
    assert result.values["done_after_threads"] is True
    lines = console(events)
    assert lines[-1] == ("main", "Done")
    assert [name for name, _ in lines].count("Thread 1") == QUICK["count"]
    assert [name for name, _ in lines].count("Thread 2") == QUICK["count"]
    joined = [e.label for e in events if isinstance(e, Mark) and e.label.startswith("joined")]
    assert joined == ["joined Thread 1", "joined Thread 2"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_join_done_comes_first(run_lesson, backend: str) -> None:
    result, events = run_lesson("thread_basics", {**QUICK, "join": False}, backend)
    assert result.error is None and not result.stopped
    assert result.values["done_after_threads"] is False
    assert console(events)[0] == ("main", "Done")
    finished = result.values["finished_s"]
    assert result.values["done_s"] < min(finished.values())
    # The run still waits for its threads before it ends, as the interpreter does at exit.
    assert set(finished) == {"Thread 1", "Thread 2"}


def test_each_thread_prints_on_its_own_row(run_lesson) -> None:
    _, events = run_lesson("thread_basics", {**QUICK, "count": 1}, "thread")
    rows = {e.worker.name: e.worker.tid for e in events if isinstance(e, Line)}
    assert len({rows["Thread 1"], rows["Thread 2"], rows["main"]}) == 3
