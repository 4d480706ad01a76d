"""Which of each lesson's tries the student has done, ticked by finished runs.

Kept between sessions in the settings file (one key per lesson), and wired to the window's
Lesson tab.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from desktop.settings import Settings
from scenarios.engine.events import Result
from scenarios.model.lesson import Lesson
from scenarios.model.tries import TriedRun, tried

if TYPE_CHECKING:
    from desktop.window import MainWindow

KEY = "tries/{}"  # the settings key of a lesson's ticked tries, by lesson id
# How long the status bar says what a run ticked: long enough to read a sentence or two.
MESSAGE_MS = 10_000


def key(lesson_id: str) -> str:
    """The settings key under which a lesson's ticks are kept."""
    return KEY.format(lesson_id)


def parse_ticks(text: str | None) -> set[str]:
    """The tries' texts a stored value holds: a JSON list of strings; anything else is none."""
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return set()
    if not isinstance(value, list):
        return set()
    return {item for item in value if isinstance(item, str)}


class TryProgress:
    """The ticked tries of every lesson, by their text; a finished run ticks those it did."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self._ticks: dict[str, set[str]] = {}  # lesson id -> ticked texts, read on first use

    def remember_in(self, settings: Settings) -> None:
        """Keep ticks in `settings` from now on: those stored there join this session's."""
        self.settings = settings
        for lesson_id, ticks in self._ticks.items():
            ticks |= self._stored(lesson_id)
            self._save(lesson_id)

    def done(self, lesson: Lesson) -> list[str]:
        """The texts of the lesson's tries done so far, in the lesson's order."""
        ticks = self._ticks_of(lesson.id)
        return [t.text for t in lesson.tries if t.text in ticks]

    def record(self, lesson: Lesson, backend: str, params: Mapping[str, Any],
               values: Mapping[str, Any], error: str | None, stopped: bool) -> list[str]:
        """Tick what this finished run did; return the texts it ticked for the first time."""
        run = TriedRun(backend, dict(params), dict(values or {}), error, stopped)
        ticks = self._ticks_of(lesson.id)
        new = [t.text for t in tried(lesson.tries, run) if t.text not in ticks]
        if new:
            ticks.update(new)
            self._save(lesson.id)
        return new

    def reset(self, lesson: Lesson) -> None:
        """Untick every try of the lesson (they tick again when runs do them)."""
        self._ticks[lesson.id] = set()
        self._save(lesson.id)

    def _ticks_of(self, lesson_id: str) -> set[str]:
        if lesson_id not in self._ticks:
            self._ticks[lesson_id] = self._stored(lesson_id)
        return self._ticks[lesson_id]

    def _stored(self, lesson_id: str) -> set[str]:
        return parse_ticks(self.settings.text(key(lesson_id))) if self.settings else set()

    def _save(self, lesson_id: str) -> None:
        if self.settings is None:
            return
        value = json.dumps(sorted(self._ticks[lesson_id]), ensure_ascii=False)
        if not self.settings.save({key(lesson_id): value}):
            print(f"note: could not write the settings file {self.settings.path}")


def connect(window: MainWindow, settings: Settings | None = None) -> TryProgress:
    """Tick the Lesson tab's checklist from each run the window finishes.

    The ticks are kept in `settings` if given, else for this session only; the status bar says
    what a run ticked.
    """
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
