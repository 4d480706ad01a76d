"""shared_value_array: the Value and Array a child writes come back; plain objects do not."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Line, Mark, Table
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
LESSON = catalogue.get("shared_value_array")


@pytest.mark.parametrize("backend", BACKENDS)
def test_shared_memory_comes_back_and_plain_objects_do_not(run_lesson, backend: str) -> None:
    result, events = run_lesson("shared_value_array",
                                {"numbers": 3, "value": 1.25, "delay": 0.0}, backend)
    values = check_finished(result, LESSON)
    assert values["value"] == 1.25
    assert values["array"] == [4, 9, 16]
    assert values["plain_value"] == 0.0
    assert values["plain_list"] == [0, 0, 0]
    # The plain child did fill its own copy: it says so in the console.
    console = [e.text for e in events if isinstance(e, Line)]
    assert sum("inside the child" in text and "[4, 9, 16]" in text for text in console) == 2
    # Both children drew their rows, and the parent's table shows the shared side filled.
    started = {e.worker.name for e in events if isinstance(e, Mark) and e.label == "started"}
    assert {"shared", "plain"} <= started
    last_table = [e for e in events if isinstance(e, Table)][-1]
    assert list(last_table.rows[0][2]) == [4, 9, 16]
    assert list(last_table.rows[1][2]) == [0, 0, 0]


def test_at_defaults_it_is_the_decks_example(run_lesson) -> None:
    result, _ = run_lesson("shared_value_array", {}, "thread")
    assert result.values["value"] == 5.67
    assert result.values["array"] == [4, 9, 16]
    assert result.values["plain_list"] == [0, 0, 0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_the_children_within_a_second(backend: str) -> None:
    check_stop_when(
        "shared_value_array", {"numbers": 20, "delay": 2.0}, backend,
        lambda events: any(isinstance(e, Mark) and e.label == "started"
                           and e.worker.name == "shared" for e in events),
        timeout=30, never="the child never started")


def test_the_code_view_shows_the_decks_calls() -> None:
    source = LESSON.source()
    assert "def calc_square" in source and "result[idx] = n * n" in source
    assert 'Array("i"' in source and 'Value("d", 0.0)' in source
