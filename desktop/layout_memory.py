"""The window's layout, lesson and back end, remembered between sessions (interactive use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.settings import Settings
from scenarios.engine.backends import BACKENDS
from scenarios.lessons import catalogue

if TYPE_CHECKING:
    from desktop.window import MainWindow


def remembered(window: MainWindow) -> dict[str, Any]:
    """What to keep of the window for next time."""
    values: dict[str, Any] = {"window/geometry": window.saveGeometry(),
                              "lesson": window.lesson.id,
                              "backend": window.backend_box.currentText(),
                              "tab": window.tabs.currentWidget().objectName()}
    for name, splitter in window.splitters.items():
        values[f"splitters/{name}"] = splitter.saveState()
    return values


def restore(window: MainWindow, settings: Settings) -> None:
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
    _restore_tab(window, settings.text("tab"))


def _restore_tab(window: MainWindow, name: str | None) -> None:
    """Bring the remembered tab forward, if the lesson shows it."""
    tabs = window.tabs
    for index in range(tabs.count()):
        if name and tabs.widget(index).objectName() == name and tabs.isTabVisible(index):
            tabs.setCurrentIndex(index)


def save(window: MainWindow, settings: Settings) -> None:
    """Remember the window as it is now; a folder that cannot be written is only reported."""
    if not settings.save(remembered(window)):
        print(f"note: could not write the settings file {settings.path}")
