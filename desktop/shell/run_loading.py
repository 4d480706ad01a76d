"""Opening a saved run on a helper thread, with a progress dialog whose Cancel ends it.

A run file of a million spans takes seconds to read and rebuild: the window shows how far it
has come and keeps answering, and Cancel leaves the run on screen as it was.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.data import run_file
from desktop.data.rundata import RunData

# The dialog shows only for a load longer than this; how often it is brought up to date.
SHOW_AFTER_MS, POLL_MS = 400, 50


class LoadCancelled(Exception):
    """The user cancelled the load."""


class RunLoading:
    """One load of a saved run: `run()` returns its data and meta, or raises."""

    def __init__(self, parent: QWidget, path: Path) -> None:
        self.parent, self.path = parent, path
        self.fraction = 0.0
        self.cancelled = threading.Event()
        self.outcome: tuple[RunData, dict[str, Any]] | BaseException | None = None

    def _told(self, fraction: float) -> None:
        """run_file's progress: note it; end the load if the user cancelled."""
        self.fraction = fraction
        if self.cancelled.is_set():
            raise LoadCancelled

    def _work(self) -> None:
        try:
            self.outcome = run_file.load(self.path, self._told)
        except (run_file.RunFileError, LoadCancelled, MemoryError) as exc:
            self.outcome = exc

    def run(self) -> tuple[RunData, dict[str, Any]]:
        """Load, showing progress; RunFileError (or LoadCancelled) if it did not come."""
        worker = threading.Thread(target=self._work, name="run loader", daemon=True)
        worker.start()
        dialog = QProgressDialog(f"Opening {self.path.name}…", "Cancel", 0, 100, self.parent)
        dialog.setWindowTitle("Open run")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)  # the window waits, and answers
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        loop = QEventLoop()
        timer = QTimer(interval=POLL_MS)

        def poll() -> None:
            if dialog.wasCanceled():  # the button, Escape, or cancel() by code
                self.cancelled.set()
            if worker.is_alive():
                dialog.setValue(int(self.fraction * 100))
            else:
                loop.quit()

        timer.timeout.connect(poll)
        timer.start()
        if worker.is_alive():
            loop.exec()
        timer.stop()
        worker.join()
        dialog.reset()
        dialog.deleteLater()
        if isinstance(self.outcome, MemoryError):
            raise run_file.RunFileError(f"{self.path.name} is too big to open here")
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        assert self.outcome is not None
        return self.outcome
