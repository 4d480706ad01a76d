"""Lesson names stay readable: the full title in each tooltip, and a width that shows them all."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from desktop.views.lesson_list import LessonList
from scenarios.lessons import catalogue


def test_every_lesson_has_its_full_title_in_its_tooltip(qtbot):
    """A title elided in a narrow column can still be read whole by hovering it."""
    lessons = catalogue.lessons()
    view = LessonList(lessons)
    qtbot.addWidget(view)
    for lesson in lessons:
        view.select(lesson.id)
        tip = view.currentItem().toolTip(0)
        assert tip.splitlines()[0] == lesson.title
        assert lesson.summary in tip


def test_ideal_width_shows_the_longest_title_whole(qtbot):
    """At its ideal width the list's text area is wider than any title."""
    lessons = catalogue.lessons()
    view = LessonList(lessons)
    qtbot.addWidget(view)
    longest = max(QFontMetrics(view.font()).horizontalAdvance(lesson.title)
                  for lesson in lessons)
    assert view.ideal_width() > longest + view.indentation()
