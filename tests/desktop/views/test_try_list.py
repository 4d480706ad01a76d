"""The checklist of things to try: hidden until it has a progress, then ticked from it.

It lights up what a run ticked (at once, or when next in sight), and Reset unticks the lesson.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget

from desktop.data.try_state import TryProgress
from desktop.views.lesson_text import LessonTextView
from desktop.views.try_list import DONE_MARK, OPEN_MARK, TryList
from scenarios.lessons import catalogue

RACE = catalogue.get("race_counter")


def lock_off(progress: TryProgress) -> list[str]:
    """Record a race run with the lock off that lost updates."""
    return progress.record(RACE, "thread", RACE.resolve({}), {"lost_updates": 4}, None, False)


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_hidden_until_a_progress_is_attached(qtbot):
    view = shown(qtbot, LessonTextView())
    view.show_lesson(RACE)
    assert not view.tries.isVisible()
    view.tries.attach(TryProgress())
    assert view.tries.isVisible()
    assert "Race on a shared counter" in view.text.toPlainText()


def test_each_try_is_a_row_with_its_mark(qtbot):
    progress = TryProgress()
    lock_off(progress)
    checklist = shown(qtbot, TryList())
    checklist.attach(progress)
    with qtbot.waitSignal(checklist.counted) as counted:
        checklist.show_lesson(RACE)
    assert counted.args == [1, 4]
    assert [row.label.text() for row in checklist.rows] == [t.text for t in RACE.tries]
    assert [row.mark.text() for row in checklist.rows] == [DONE_MARK] + [OPEN_MARK] * 3
    assert "1 of 4 done" in checklist.title.text().replace("&nbsp;", " ")
    assert checklist.reset_button.isEnabled()


def test_a_tick_lights_its_row_up_at_once_when_in_sight(qtbot):
    progress = TryProgress()
    checklist = shown(qtbot, TryList())
    checklist.attach(progress)
    checklist.show_lesson(RACE)
    checklist.ticked(lock_off(progress))
    assert [row.lit for row in checklist.rows] == [True, False, False, False]
    assert checklist.rows[0].mark.text() == DONE_MARK
    qtbot.waitUntil(lambda: not checklist.rows[0].lit, timeout=5000)
    assert not checklist.rows[0].autoFillBackground(), "the highlight is gone"


def test_a_tick_out_of_sight_lights_up_when_its_tab_is_shown(qtbot):
    progress = TryProgress()
    view = LessonTextView()
    tabs = QTabWidget()
    tabs.addTab(view, "Lesson")
    tabs.addTab(QLabel("elsewhere"), "Other")
    shown(qtbot, tabs)
    view.tries.attach(progress)
    view.show_lesson(RACE)
    tabs.setCurrentIndex(1)
    view.tries.ticked(lock_off(progress))
    assert not view.tries.rows[0].lit
    tabs.setCurrentIndex(0)
    assert view.tries.rows[0].lit


def test_reset_unticks_the_lesson(qtbot):
    progress = TryProgress()
    lock_off(progress)
    checklist = shown(qtbot, TryList())
    checklist.attach(progress)
    checklist.show_lesson(RACE)
    checklist.reset_button.click()
    assert progress.done(RACE) == []
    assert all(row.mark.text() == OPEN_MARK for row in checklist.rows)
    assert not checklist.reset_button.isEnabled()


def test_a_new_lesson_replaces_the_rows(qtbot):
    checklist = shown(qtbot, TryList())
    checklist.attach(TryProgress())
    checklist.show_lesson(RACE)
    deadlock = catalogue.get("deadlock")
    checklist.show_lesson(deadlock)
    assert [row.text for row in checklist.rows] == [t.text for t in deadlock.tries]
    assert checklist.row_box.count() == len(deadlock.tries)
