"""check_then_act: both threads pass the check before either acts; a lock makes them take turns."""

from __future__ import annotations

import pytest

from scenarios.engine.exploring import explore, run_schedule
from scenarios.lessons import catalogue
from scenarios.model.tries import TriedRun, tried

BACKENDS = ("thread", "process")
LESSON = catalogue.get("check_then_act")
DEFAULTS = LESSON.resolve({})
REPEATS = 3


def test_defaults_overdraw_if_both_checks_come_first() -> None:
    assert DEFAULTS["use_lock"] is False and DEFAULTS["threads"] == 2
    assert DEFAULTS["amount"] <= DEFAULTS["balance"] < 2 * DEFAULTS["amount"]
    assert DEFAULTS["race_window"] > 0  # the gap both checks fall into


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_a_lock_the_account_is_overdrawn_every_time(run_lesson, backend: str) -> None:
    for _ in range(REPEATS):
        result, _ = run_lesson("check_then_act", {}, backend)
        values = result.values
        assert result.error is None and not result.stopped
        assert values["overdrawn"] and values["balance"] == 100 - 2 * 80
        assert values["taken"] == 160 and values["refused"] == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_with_the_lock_the_second_thread_is_refused(run_lesson, backend: str) -> None:
    result, events = run_lesson("check_then_act", {"use_lock": True}, backend)
    values = result.values
    assert (values["balance"], values["overdrawn"], values["refused"]) == (20, False, 1)
    assert any("refused: 20 is less than 80" in getattr(e, "text", "") for e in events)


def test_both_checks_then_both_takes_overdraws_in_step_mode() -> None:
    played, result = run_schedule(LESSON, DEFAULTS, [1, 2, 1, 2])
    assert [(s.name, s.point, s.values["balance"]) for s in played.steps] == [
        ("Thread 1", "check", 100), ("Thread 2", "check", 100),
        ("Thread 1", "take 80", 100), ("Thread 2", "take 80", 20)]
    assert result is not None and result.values["balance"] == -60
    run = TriedRun("thread", DEFAULTS, result.values)
    assert "In step mode, make both threads check before either takes: overdrawn." in \
        [t.text for t in tried(LESSON.tries, run)]


def test_explore_counts_the_overdrawing_schedules_and_none_with_the_lock() -> None:
    assert explore(LESSON, DEFAULTS).counts() == {"balance = -60, overdrawn": 4,
                                                  "balance = 20": 2}
    locked = explore(LESSON, LESSON.resolve({"use_lock": True})).counts()
    assert set(locked) == {"balance = 20"}
