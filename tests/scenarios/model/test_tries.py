"""Each lesson's "what to try" checklist: every lesson has one, and its checks never raise.

They never raise on any run (a short real one, a failed one, a stopped one); a few ticks are
checked precisely.
"""

from __future__ import annotations

from typing import Any

import pytest

from scenarios.lessons import catalogue
from scenarios.lessons.quick import quick_params
from scenarios.model.lesson import Lesson
from scenarios.model.tries import (
    TriedRun,
    Try,
    any_of,
    compare,
    more_than,
    ran,
    tried,
    where,
)

LESSONS = catalogue.lessons()


def defaults(lesson: Lesson, **given: Any) -> dict[str, Any]:
    """Every parameter of the lesson at its default, but those given."""
    return lesson.resolve(given)


def texts(lesson_id: str, run: TriedRun) -> list[str]:
    """The texts of the lesson's tries this run did."""
    return [t.text for t in tried(catalogue.get(lesson_id).tries, run)]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_has_two_to_four_tries(lesson: Lesson) -> None:
    assert 2 <= len(lesson.tries) <= 4
    assert len({t.text for t in lesson.tries}) == len(lesson.tries), "each text is its key"
    for t in lesson.tries:
        assert isinstance(t, Try) and t.text.strip() and t.text.endswith(".")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_checks_never_raise_on_a_failed_or_stopped_run(lesson: Lesson) -> None:
    params = defaults(lesson)
    for run in (TriedRun("thread", params, {}, "ValueError: boom"),
                TriedRun("process", params, {}, None, True),
                TriedRun("thread", {}, {})):
        for t in lesson.tries:
            assert t.done(run) is False, t.text
    empty = TriedRun("thread", params, {})  # ended, yet reported nothing: checks must cope
    for t in lesson.tries:
        assert isinstance(t.done(empty), bool), t.text


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_checks_never_raise_on_a_real_run(lesson: Lesson, run_lesson) -> None:
    result, _ = run_lesson(lesson.id, quick_params(lesson), "thread")
    params = defaults(lesson, **quick_params(lesson))
    run = TriedRun("thread", params, result.values, result.error, result.stopped)
    for t in lesson.tries:
        assert isinstance(t.done(run), bool), t.text


def test_a_check_that_raises_counts_as_not_done() -> None:
    broken = Try("Divide by zero.", lambda run: 1 / 0 > 0)
    assert not broken.done_by(TriedRun("thread", {}, {}))


def test_the_race_ticks_lock_off_with_losses_then_lock_on_without(run_lesson) -> None:
    lesson = catalogue.get("race_counter")
    first, second, plain, _stepped = (t.text for t in lesson.tries)
    for use_lock, ticked in ((False, first), (True, second)):
        params = defaults(lesson, increments=300, use_lock=use_lock)
        result, _ = run_lesson("race_counter", params, "thread")
        run = TriedRun("thread", params, result.values, result.error, result.stopped)
        assert texts("race_counter", run) == [ticked], result.values
    step = defaults(lesson, step="x += 1")
    assert texts("race_counter", TriedRun("thread", step, {"lost_updates": 0})) == [plain]


def test_the_race_ticks_nothing_when_the_lock_is_off_yet_nothing_was_lost() -> None:
    params = defaults(catalogue.get("race_counter"))
    assert texts("race_counter", TriedRun("thread", params, {"lost_updates": 0})) == []


def test_a_stopped_race_ticks_nothing_even_with_losses() -> None:
    params = defaults(catalogue.get("race_counter"))
    stopped = TriedRun("thread", params, {"lost_updates": 12}, None, True)
    assert texts("race_counter", stopped) == []


def test_process_lock_ticks_from_its_outcome() -> None:
    lesson = catalogue.get("process_lock")
    off, on, window, zero = (t.text for t in lesson.tries)
    lost = {"lost_updates": 7, "final_balance": 193, "expected": 200}
    assert texts("process_lock", TriedRun("process", defaults(lesson), lost)) == [off]
    clean = {"lost_updates": 0, "final_balance": 200, "expected": 200}
    assert texts("process_lock", TriedRun("thread", defaults(lesson, use_lock=True),
                                          clean)) == [on]
    at_zero = defaults(lesson, race_window=0.0)
    assert texts("process_lock", TriedRun("thread", at_zero, lost)) == [off, window, zero]


def test_the_semaphore_off_ticks_only_when_threads_pile_past_the_limit() -> None:
    lesson = catalogue.get("event_and_semaphore")
    off = lesson.tries[2].text
    params = defaults(lesson, use_semaphore=False)
    piled = TriedRun("thread", params, {"max_inside": 6, "limit": 2})
    assert texts("event_and_semaphore", piled) == [off]
    assert texts("event_and_semaphore", TriedRun("thread", params,
                                                 {"max_inside": 2, "limit": 2})) == []


def test_parameters_can_be_matched_by_value_test_or_comparison() -> None:
    run = TriedRun("process", {"a": 3, "b": 5, "on": True}, {"n": 0})
    assert ran(a=3, on=True)(run) and ran("process", b=more_than(4))(run)
    assert not ran("thread")(run) and not ran(missing=1)(run)
    assert ran(given=compare("a", "<", "b"))(run) and not ran(given=compare("a", ">=", "b"))(run)
    assert not ran(given=compare("a", "<", "missing"))(run)
    assert ran(result=where(n=0))(run) and not ran(result=where(n=more_than(0)))(run)
    assert any_of(ran(a=1), ran(b=5))(run) and not any_of(ran(a=1), ran(b=1))(run)
    assert not more_than(0)(True), "a flag is not a number"
    assert not more_than(0)(None) and not more_than(0)("7")
