"""low_level_thread: bare _thread threads print only while main is alive."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Line, Mark
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stops_within_a_second

BACKENDS = ("thread", "process")
LESSON = catalogue.get("low_level_thread")
# Thread 1 prints every 0.1 s, thread 2 every 0.4 s; main ends after 0.25 s, so thread 1 gets
# some lines out and thread 2 none: cut off, and by a wide margin either side of main's end.
QUICK = {"delay_1": 0.1, "delay_2": 0.4, "count": 3, "main_work": 0.25}


def thread_lines(events) -> list[Line]:
    return [e for e in events if isinstance(e, Line) and e.worker.name.startswith("thread ")]


def test_result_keys_and_defaults() -> None:
    assert LESSON.result_keys == ("lines_printed", "expected_lines", "cut_off")
    assert LESSON.resolve({})["keep_main_alive"] is False
    assert "_thread.start_new_thread(print_epoch" in LESSON.source()


@pytest.mark.parametrize("backend", BACKENDS)
def test_when_main_ends_the_threads_are_cut_off(run_lesson, backend: str) -> None:
    result, events = run_lesson("low_level_thread", {**QUICK, "keep_main_alive": False}, backend)
    values = check_finished(result, LESSON)
    assert values["expected_lines"] == 6
    assert values["cut_off"] is True
    assert values["lines_printed"] < values["expected_lines"]
    assert values["lines_printed"] == len(thread_lines(events))
    ended = [e.time for e in events if isinstance(e, Mark) and e.label == "main ended"]
    assert len(ended) == 1
    assert all(line.time <= ended[0] for line in thread_lines(events))  # nothing after main
    cut = [e.worker.name for e in events if isinstance(e, Mark) and e.label.startswith("cut off")]
    assert "thread 2" in cut


@pytest.mark.parametrize("backend", BACKENDS)
def test_kept_alive_every_line_comes_out(run_lesson, backend: str) -> None:
    result, events = run_lesson("low_level_thread", {**QUICK, "keep_main_alive": True}, backend)
    values = result.values
    assert result.error is None and not result.stopped
    assert values["cut_off"] is False
    assert values["lines_printed"] == values["expected_lines"] == 6
    lines = thread_lines(events)
    assert [e.worker.name for e in lines].count("thread 1") == 3
    assert [e.worker.name for e in lines].count("thread 2") == 3
    tids = {e.worker.tid for e in lines} | {e.worker.tid for e in events
                                            if isinstance(e, Line) and e.worker.name == "main"}
    assert len(tids) == 3  # two real threads beside main


def test_the_decks_program_prints_nothing(run_lesson) -> None:
    result, _ = run_lesson("low_level_thread", {**QUICK, "main_work": 0.0}, "thread")
    assert result.values["lines_printed"] == 0
    assert result.values["cut_off"] is True


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_it_within_a_second(backend: str) -> None:
    params = {"keep_main_alive": True, "delay_1": 5.0, "delay_2": 5.0, "count": 20}
    check_stops_within_a_second("low_level_thread", params, backend)
