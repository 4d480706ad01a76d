"""The tries' checklist wired to the window: each run the window records ticks the tries it did,
the Lesson tab counts them, and the status bar says what a run ticked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from desktop.settings import Settings
from desktop.try_state import TryProgress
from scenarios.events import Result

if TYPE_CHECKING:
    from desktop.window import MainWindow

# How long the status bar says what a run ticked: long enough to read a sentence or two.
MESSAGE_MS = 10_000


def connect(window: MainWindow, settings: Settings | None = None) -> TryProgress:
    """Tick the Lesson tab's checklist from each run the window finishes (kept in `settings`,
    if given; else for this session only) and say in the status bar what a run ticked."""
    progress = TryProgress(settings)
    checklist = window.lesson_text.tries
    checklist.attach(progress)
    checklist.counted.connect(lambda done, total: _label_tab(window, done, total))
    checklist.refresh()
    window.recorded.connect(lambda result, params: _tick(window, progress, result, params))
    return progress


def _tick(window: MainWindow, progress: TryProgress, result: Result,
          params: Mapping[str, Any]) -> None:
    run = window.session.run
    new = progress.record(run.lesson, run.backend, params, result.values, result.error,
                          result.stopped)
    if not new:
        return
    window.lesson_text.tries.ticked(new)
    bar = window.statusBar()
    before = bar.currentMessage()
    said = "✓ Tried: " + "; ".join(text.rstrip(".") for text in new)
    bar.showMessage(f"{before} · {said}" if before else said, MESSAGE_MS)


def _label_tab(window: MainWindow, done: int, total: int) -> None:
    tabs = window.tabs
    index = tabs.indexOf(window.lesson_text)
    if index < 0:
        return
    tabs.setTabText(index, f"Lesson ✓{done}/{total}" if total else "Lesson")
    tabs.setTabToolTip(index, f"What to watch, what to try and why; {done} of {total} things to "
                              "try done" if total else "What to watch, what to try and why")
