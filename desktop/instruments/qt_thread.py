"""A QThread that runs a plain callable, shaped like threading.Thread for the engine."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread


class LessonThread(QThread):
    """Runs the thread back end's lesson body on a QThread (never terminated, only waited for)."""

    def __init__(self, target: Callable[[], None]) -> None:
        super().__init__()
        self._target = target
        self.setObjectName("lesson-runner")

    def run(self) -> None:
        """Run the target on this thread."""
        try:
            self._target()
        finally:
            _forget_dummy_thread()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end (like threading.Thread.join)."""
        if timeout is None:
            self.wait()
        else:
            self.wait(int(timeout * 1000))

    def is_alive(self) -> bool:
        """True while the thread runs."""
        return self.isRunning()


def _forget_dummy_thread() -> None:
    """Drop the record `threading` keeps for this foreign (Qt-started) thread.

    Python makes a _DummyThread for a thread it did not start as soon as that thread asks for
    current_thread(), and CPython 3.11 never removes it: after a few runs threading.enumerate()
    would list dead "threads" that a lesson about threads would then show to students.
    """
    if isinstance(threading.current_thread(), threading._DummyThread):
        with threading._active_limbo_lock:
            threading._active.pop(threading.get_ident(), None)
