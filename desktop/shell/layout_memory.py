"""The window's layout, lesson and back end, remembered between sessions (interactive use)."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QSplitter

from desktop.shell.settings import Settings
from scenarios.engine.backends import BACKENDS
from scenarios.lessons import catalogue
from scenarios.model.lesson import Lesson


class Remembered(Protocol):
    """What of the window is remembered: its geometry and splitters, lesson, back end and tab."""

    lesson: Lesson
    splitters: dict[str, QSplitter]  # by the name each one's state is kept under

    @property
    def backend(self) -> str: ...  # noqa: D102

    @property
    def current_tab(self) -> str: ...  # noqa: D102

    def saveGeometry(self) -> QByteArray: ...  # noqa: D102, N802 - Qt's

    def restoreGeometry(self, geometry: QByteArray) -> bool: ...  # noqa: D102, N802 - Qt's

    def set_backend(self, backend: str) -> None: ...  # noqa: D102

    def select(self, lesson_id: str) -> None: ...  # noqa: D102

    def show_tab(self, name: str) -> None: ...  # noqa: D102

    def report_error(self, message: str) -> None: ...  # noqa: D102


def remembered(window: Remembered) -> dict[str, Any]:
    """What to keep of the window for next time."""
    values: dict[str, Any] = {"window/geometry": window.saveGeometry(),
                              "lesson": window.lesson.id,
                              "backend": window.backend,
                              "tab": window.current_tab}
    for name, splitter in window.splitters.items():
        values[f"splitters/{name}"] = splitter.saveState()
    return values


def restore(window: Remembered, settings: Settings) -> None:
    """Put back the last session's layout, lesson and back end; anything unreadable is skipped."""
    if settings.problem:
        window.report_error(settings.problem)
        return
    geometry = settings.blob("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    for name, splitter in window.splitters.items():
        state = settings.blob(f"splitters/{name}")
        if state is not None:
            splitter.restoreState(state)
    backend = settings.text("backend", list(BACKENDS))
    if backend:
        window.set_backend(backend)
    lesson = settings.text("lesson", catalogue.ids())  # after the back end: a lesson of ways
    if lesson:                                          # shows its own
        window.select(lesson)
    tab = settings.text("tab")
    if tab:
        window.show_tab(tab)


def save(window: Remembered, settings: Settings) -> None:
    """Remember the window as it is now; a folder that cannot be written is only reported."""
    settings.keep(remembered(window))
