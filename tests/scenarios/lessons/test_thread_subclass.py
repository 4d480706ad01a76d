"""thread_subclass: MyThread objects run their own run() side by side, each on its own row."""

from __future__ import annotations

import threading

import pytest

from scenarios.engine.events import Line
from scenarios.lessons import catalogue
from scenarios.lessons.thread_subclass import MyThread
from tests.support import check_stops_within_a_second

BACKENDS = ("thread", "process")
LESSON = catalogue.get("thread_subclass")
# Thread-1 prints every 0.05 s, Thread-2 every 0.15 s: it ends clearly later.
QUICK = {"delay_1": 0.05, "delay_2": 0.15, "count": 2}


def test_my_thread_is_a_threading_thread() -> None:
    assert issubclass(MyThread, threading.Thread)
    source = LESSON.source()
    assert "class MyThread" in source and 'print("start thread:"' in source.replace("'", '"')
    assert LESSON.result_keys == ("threads",)


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_thread_runs_its_own_run(run_lesson, backend: str) -> None:
    result, events = run_lesson("thread_subclass", QUICK, backend)
    assert result.error is None and not result.stopped
    threads = {t["name"]: t for t in result.values["threads"]}
    assert set(threads) == {"Thread-1", "Thread-2"}
    for name, delay in (("Thread-1", 0.05), ("Thread-2", 0.15)):
        t = threads[name]
        assert set(t) == {"name", "delay", "start_s", "end_s"}
        assert t["delay"] == delay
        assert t["end_s"] - t["start_s"] >= QUICK["count"] * delay - 0.005  # it slept that long
        lines = [e.text for e in events if isinstance(e, Line) and e.worker.name == name]
        assert lines[0] == f"start thread: {name}"
        assert lines[-1] == f"end thread: {name}"
        assert sum(text.startswith(f"{name} -----") for text in lines) == QUICK["count"]
    # They ran at the same time: Thread-2 started before Thread-1 ended.
    assert threads["Thread-2"]["start_s"] < threads["Thread-1"]["end_s"]
    assert threads["Thread-1"]["end_s"] < threads["Thread-2"]["end_s"]
    main = [e.text for e in events if isinstance(e, Line) and e.worker.name == "main"]
    assert main == ["Thread-1", "Thread-2", "Done"]
    rows = {e.worker.tid for e in events if isinstance(e, Line)}
    assert len(rows) == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_it_within_a_second(backend: str) -> None:
    check_stops_within_a_second("thread_subclass", {"delay_1": 5.0, "delay_2": 5.0, "count": 50},
                                backend)
