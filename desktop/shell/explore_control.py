"""Explore in the window: every schedule of the lesson run on a helper thread, then the bars."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPushButton

from desktop.views.outcome_bars import OutcomeBars
from scenarios.engine.exploring import MAX_RUNS, Explored, explore
from scenarios.model.lesson import Lesson

# The window explores as far as the CLI does by default.
LIMIT = MAX_RUNS
POLL_MS = 100


class ExploreControl(QObject):
    """Runs explore off the window's thread, shows its progress, then the outcomes."""

    replay = Signal(list)  # an outcome's example schedule, clicked

    def __init__(self, parent: QObject, button: QPushButton, bars: OutcomeBars) -> None:
        super().__init__(parent)
        self.button = button
        self.bars = bars
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._explored: Explored | None = None
        self._error: str | None = None
        self._wrong: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        bars.picked.connect(self.replay)

    @property
    def busy(self) -> bool:
        """True while exploring."""
        return self._thread is not None

    def start(self, lesson: Lesson, params: Mapping[str, Any], backend: str) -> None:
        """Explore the lesson with these parameters on the back end (thread or process)."""
        if self.busy:
            return
        self._stop.clear()
        self._explored, self._error = Explored(), None
        self._wrong = ("lose an update" if lesson.race is not None
                       else "end wrong" if lesson.outcome is not None else None)
        self._thread = threading.Thread(target=self._work, args=(lesson, dict(params), backend),
                                        name="explore", daemon=True)
        self._thread.start()
        self.button.setText("Stop exploring")
        self.bars.clear("Exploring: every schedule, each run for real…")
        self._timer.start()

    def _work(self, lesson: Lesson, params: dict[str, Any], backend: str) -> None:
        try:
            explore(lesson, params, LIMIT, backend, self._stop, self._explored)
        except Exception as exc:  # e.g. a step that never reached its next point
            self._error = f"{type(exc).__name__}: {exc}"

    def _poll(self) -> None:
        explored = self._explored
        if self._thread is not None and self._thread.is_alive():
            if explored is not None:
                self.bars.summary.setText(f"Exploring: {explored.runs:,} runs so far…")
            return
        self._timer.stop()
        self._thread = None
        self.button.setText("Explore every schedule")
        if self._error:
            self.bars.clear(f"Explore failed: {self._error}")
        elif explored is not None:
            self.bars.show_counts(dict(explored.counts()), explored.examples(), explored.runs,
                                  explored.pruned, explored.complete, self._wrong)

    def stop(self, wait_s: float = 2.0) -> None:
        """Stop exploring (after the run in progress) and wait for it (window close)."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(wait_s)
            self._poll()
