"""The tries' checklist wired to the window: each recorded run ticks the tries it did.

The Lesson tab counts them, and the status bar says what a run ticked.
"""

from __future__ import annotations

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QStatusBar, QTabWidget

from desktop.data.history import RunRecord
from desktop.data.try_state import TryProgress
from desktop.shell.settings import Settings
from desktop.views.lesson_text import LessonTextView
from scenarios.model.lesson import Lesson

# How long the status bar says what a run ticked: long enough to read a sentence or two.
MESSAGE_MS = 10_000


def connect(recorded: SignalInstance, page: LessonTextView, tabs: QTabWidget, status: QStatusBar,
            settings: Settings | None = None) -> TryProgress:
    """Tick the Lesson page's checklist from each run `recorded` gives.

    `recorded` carries a run's Lesson and RunRecord; the ticks are counted on the page's tab,
    `status` says what a run ticked, and they are kept in `settings`, if given, else for this
    session only.
    """
    progress = TryProgress(settings)
    checklist = page.tries
    checklist.attach(progress)
    checklist.counted.connect(lambda done, total: _label_tab(tabs, page, done, total))
    checklist.refresh()
    recorded.connect(lambda lesson, record: _tick(progress, page, status, lesson, record))
    return progress


def _tick(progress: TryProgress, page: LessonTextView, status: QStatusBar, lesson: Lesson,
          record: RunRecord) -> None:
    new = progress.record(lesson, record.backend, record.params, record.values, record.error,
                          record.stopped)
    if not new:
        return
    page.tries.ticked(new)
    before = status.currentMessage()
    said = "✓ Tried: " + "; ".join(text.rstrip(".") for text in new)
    status.showMessage(f"{before} · {said}" if before else said, MESSAGE_MS)


def _label_tab(tabs: QTabWidget, page: LessonTextView, done: int, total: int) -> None:
    index = tabs.indexOf(page)
    if index < 0:
        return
    tabs.setTabText(index, f"Lesson ✓{done}/{total}" if total else "Lesson")
    tabs.setTabToolTip(index, f"What to watch, what to try and why; {done} of {total} things to "
                              "try done" if total else "What to watch, what to try and why")
