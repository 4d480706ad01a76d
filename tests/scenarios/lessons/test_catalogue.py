"""Every lesson's text names its parameters as the panel does, in plain words."""

from __future__ import annotations

import re

import pytest

from scenarios.lessons import catalogue
from scenarios.model.lesson import Lesson, LessonText
from scenarios.model.params import bool_param, choice_param
from scenarios.model.tries import Try, ran

LESSONS = catalogue.lessons()
# Verbs that put a parameter's name right after them: "Set step to", "raise the count".
SETTING = r"(?:set|raise|lower|turn|change|give|flip|make)\s+(?:the\s+)?"


def texts(lesson: Lesson) -> list[tuple[str, str]]:
    """(where, text) of every part a learner reads: watch, try, why and each try's line."""
    told = lesson.text
    return [("watch", told.watch), ("try", told.try_), ("why", told.why),
            *((f"try {n}", t.text) for n, t in enumerate(lesson.tries, start=1))]


def key_used_as_name(lesson: Lesson) -> list[str]:
    """Where a text names a parameter by its key instead of the label the panel shows.

    A key with an underscore (use_lock) is never an English word. A one-word key (step,
    count) counts when quoted or set ("Set step to", "step on"); a key that is a word of its
    own label (delay in "Delay per number") is the label's word, and so is any label's
    wording ("items per task" is a label, not the key `items`).
    """
    found = []
    for where, text in texts(lesson):
        for p in lesson.params:
            text = re.sub(re.escape(p.title), "LABEL", text, flags=re.IGNORECASE)
        for p in lesson.params:
            key = p.name
            if re.search(rf"\b{re.escape(key.replace('_', ' '))}\b", p.title, re.IGNORECASE):
                continue
            if "_" in key:
                pattern = rf"(?<![\w.]){re.escape(key)}(?![\w(])"
            else:
                pattern = (rf"['`\"]{key}['`\"]|\b{SETTING}{key}\b(?!\s+of\b)"
                           rf"|\b{key}\s+(?:to|on|off|=)\s")
            found += [f"{lesson.id} {where}: {m.group()!r} should be {p.title!r}"
                      for m in re.finditer(pattern, text, re.IGNORECASE)]
    return found


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_a_lesson_names_its_parameters_by_their_labels(lesson: Lesson) -> None:
    assert key_used_as_name(lesson) == []


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_a_lesson_text_has_no_markup_the_window_shows_raw(lesson: Lesson) -> None:
    assert [where for where, text in texts(lesson) if "`" in text] == []


def test_the_check_catches_a_key_where_the_label_should_be() -> None:
    params = (bool_param("use_lock", False, "h", label="Use a lock"),
              choice_param("step", "a", ("a", "x += 1"), "h", label="Add as"))
    said = LessonText(watch="", try_="Run it with use_lock off. Set step to plain 'x += 1'.",
                      why="")
    lesson = Lesson("l", "L", "s", "Threads", said, params, run=lambda lab, p: {},
                    tries=(Try("Set 'Add as' to 'x += 1'; take a step back.", ran()),))
    assert len(key_used_as_name(lesson)) == 2
