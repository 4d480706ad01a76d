"""The result card says a run's outcome in words: counts with their nouns, labels, no Python."""

from __future__ import annotations

import re

import pytest

from desktop.views.result_card import ResultCard
from scenarios.engine.exploring import run_schedule
from scenarios.lessons import catalogue
from scenarios.lessons.quick import quick_params
from tests.support import run_to_end

RACE = catalogue.get("race_counter")
# Lessons whose results hold parameters, pids, records of threads, None and caveats.
SHOWN = ("race_counter", "thread_subclass", "io_bound_threads", "process_isolation",
         "check_then_act", "pool_basics")
# What a developer writes and a learner should not read on the card.
PYTHON_WORDS = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|caveat:|[{}]|\b\w+_\w+\b")


@pytest.fixture
def card(qtbot) -> ResultCard:
    card = ResultCard()
    qtbot.addWidget(card)
    return card


def test_one_update_lost_is_said_in_the_singular(card: ResultCard) -> None:
    params = RACE.resolve({"threads": 2, "increments": 1})
    _, result = run_schedule(RACE, params, [1, 2, 1, 2])  # both read 0, both write 1
    assert result is not None and result.values["lost_updates"] == 1
    card.show_result(RACE, result, 0.1)
    assert "1 update lost" in card.values_text()
    assert "updates lost" not in card.values_text()


@pytest.mark.parametrize("lesson_id", SHOWN)
def test_a_card_has_no_key_repr_or_none_outside_its_details(card: ResultCard,
                                                             lesson_id: str) -> None:
    lesson = catalogue.get(lesson_id)
    params = lesson.resolve(quick_params(lesson))
    result, _ = run_to_end(lesson_id, params, "thread")
    card.show_result(lesson, result, 0.5)
    text = card.values_text()
    assert not PYTHON_WORDS.findall(text), text
    for param in lesson.params:  # a parameter's value in the result goes by its label
        if result.values.get(param.name, not params[param.name]) == params[param.name]:
            assert param.title in text, f"{param.name} is not shown as {param.title!r}"


def test_a_pid_is_shown_without_thousands_separators(card: ResultCard) -> None:
    lesson = catalogue.get("process_isolation")
    result, _ = run_to_end(lesson.id, quick_params(lesson), "thread")
    card.show_result(lesson, result, 0.5)
    assert f"child PID: {result.values['child_pid']}" in card.values_text()


def test_the_details_fold_keeps_the_names_in_the_code(card: ResultCard) -> None:
    result, _ = run_to_end("race_counter", quick_params(RACE), "thread")
    card.show_result(RACE, result, 0.5)
    assert card.raw_toggle.isVisibleTo(card) and not card.raw_toggle.isChecked()
    assert "lost_updates" not in card.values_text()
