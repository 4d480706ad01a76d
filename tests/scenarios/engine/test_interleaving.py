"""The interleaving table of real stepped runs: a row per step, the lost update where it happens."""

from __future__ import annotations

from scenarios.engine.exploring import run_schedule
from scenarios.engine.interleaving import as_text, interleaving
from scenarios.lessons import catalogue

RACE = catalogue.get("race_counter")


def table(schedule: list[int], lesson_id: str = "race_counter", **values):
    """The rows of a lesson stepped on the schedule, with two threads of one increment each."""
    lesson = catalogue.get(lesson_id)
    params = {"threads": 2, "increments": 1} if lesson_id == "race_counter" else {}
    played, result = run_schedule(lesson, lesson.resolve({**params, **values}), schedule)
    assert result is not None and result.error is None, result
    return interleaving(played.steps, result.values and {"x": result.values.get("actual")})


def test_both_read_0_both_write_1_and_the_second_write_loses_the_first() -> None:
    rows = table([1, 2, 1, 2])
    assert [row.cell for row in rows] == ["read x → 0", "read x → 0", "write x ← 1",
                                          "write x ← 1"]
    assert [row.thread for row in rows] == [1, 2, 1, 2]
    assert [row.lost for row in rows] == [False, False, False, True]
    assert [row.shared for row in rows] == ["x = 0", "x = 0", "x = 1", "x = 1"]
    assert rows[3].to_json() == {"step": 4, "thread": 2, "name": "Thread 2",
                                 "operation": "write x", "value": "1", "shared": "x = 1",
                                 "lost": True}


def test_one_after_the_other_loses_nothing() -> None:
    rows = table([1, 1, 2, 2])
    assert [row.cell for row in rows] == ["read x → 0", "write x ← 1", "read x → 1",
                                          "write x ← 2"]
    assert not any(row.lost for row in rows)
    assert "lost" not in rows[-1].to_json()


def test_as_text_has_a_column_per_thread_and_the_shared_state() -> None:
    text = as_text(table([1, 2, 1, 2]))
    lines = text.splitlines()
    assert lines[0] == "step\tThread 1\tThread 2\tshared"
    assert lines[2] == "2\t\tread x → 0\tx = 0"
    assert lines[4] == "4\t\twrite x ← 1  ✗ update lost\tx = 1"


def test_a_point_that_is_not_a_read_or_write_shows_what_the_thread_held() -> None:
    rows = table([1, 2], step="x += 1")
    assert [row.cell for row in rows] == ["x += 1 (x = 0)", "x += 1 (x = 1)"]
    assert not any(row.lost for row in rows)
