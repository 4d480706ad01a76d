"""queues: multiprocessing.Queue and Pipe bring the squares back; queue.Queue cannot cross."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Line, Mark, Metric
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
LESSON = catalogue.get("queues")


@pytest.mark.parametrize("backend", BACKENDS)
def test_queue_and_pipe_carry_the_items_and_the_thread_queue_does_not(run_lesson,
                                                                      backend: str) -> None:
    result, events = run_lesson("queues", {"numbers": 4, "delay": 0.0}, backend)
    values = check_finished(result, LESSON)
    assert values["mp_queue_items"] == [4, 9, 16, 25]
    assert values["pipe_items"] == [4, 9, 16, 25]
    assert values["thread_queue_items"] == []
    # What really happens on spawn: the thread queue's lock cannot be pickled, so start refuses.
    assert "pickle" in values["thread_queue_error"]
    errors = [e.text for e in events if isinstance(e, Line) and e.stream == "stderr"]
    assert any(text.startswith("p.start() refused: TypeError") for text in errors), errors
    started = {e.worker.name for e in events if isinstance(e, Mark) and e.label == "started"}
    assert {"mp.Queue child", "Pipe child"} <= started
    assert "queue.Queue child" not in started
    pipe_counts = [e.value for e in events if isinstance(e, Metric) and e.name == "pipe items"]
    assert pipe_counts == [1, 2, 3, 4]


def test_at_defaults_the_decks_three_squares_come_back(run_lesson) -> None:
    result, _ = run_lesson("queues", {}, "thread")
    assert result.values["mp_queue_items"] == [4, 9, 16]
    assert result.values["pipe_items"] == [4, 9, 16]
    assert result.values["thread_queue_items"] == []


# Per child: parameters that keep it busy for seconds after it starts (the Pipe child runs
# third, so its run keeps the first child short).
STOP_CASES = {
    "mp.Queue child": {"numbers": 20, "delay": 2.0},
    "Pipe child": {"numbers": 4, "delay": 0.5},
}


@pytest.mark.parametrize("child", list(STOP_CASES))
@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_the_run_within_a_second(backend: str, child: str) -> None:
    check_stop_when(
        "queues", STOP_CASES[child], backend,
        lambda events: any(isinstance(e, Mark) and e.label == "started" and e.worker.name == child
                           for e in events),
        timeout=60, never=f"{child} never started")


def test_the_code_view_shows_all_three() -> None:
    source = LESSON.source()
    assert "q = lab.mp.Queue()" in source and "q = queue.Queue()" in source
    assert "lab.mp.Pipe()" in source and "while q.empty() is False" in source
