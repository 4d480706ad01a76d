"""The Lesson and Help menus: previous and next lesson, reset parameters, the shortcuts sheet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from desktop.shell.actions import window_action
from desktop.views.shortcuts_dialog import ShortcutsDialog
from scenarios.lessons import catalogue
from scenarios.model.lesson import Lesson


class LessonChoice(Protocol):
    """The lesson on screen, and choosing another (not while a run goes on)."""

    lesson: Lesson

    @property
    def running(self) -> bool: ...  # noqa: D102

    def select(self, lesson_id: str) -> None: ...  # noqa: D102


class LessonActions:
    """Moving through the lessons in teaching order, and the keyboard's help sheet."""

    def __init__(self, window: QMainWindow, choice: LessonChoice,
                 reset_params: Callable[[], None]) -> None:
        """Build the Lesson and Help menus on `window`.

        `window` gets the menus and their keys; `reset_params` puts the lesson's parameters back
        to their defaults.
        """
        self.window = window
        self.choice = choice
        self.dialog: ShortcutsDialog | None = None
        menu = window.menuBar().addMenu("L&esson")
        for text, key, tip, step in (
                ("Previous lesson", "Ctrl+Left", "The lesson before this one", -1),
                ("Next lesson", "Ctrl+Right", "The lesson after this one", +1)):
            menu.addAction(window_action(window, text, QKeySequence(key), tip,
                                         lambda _=False, step=step: self.step(step)))
        menu.addAction(window_action(window, "Reset parameters", QKeySequence("Ctrl+R"),
                                     "Every parameter of this lesson back to its default",
                                     reset_params))
        help_menu = window.menuBar().addMenu("&Help")
        help_menu.addAction(window_action(window, "Keyboard shortcuts", QKeySequence("F1"),
                                          "Every action and its key", self.show_shortcuts))

    def step(self, by: int) -> None:
        """Select the lesson `by` places further in teaching order (not while a run goes on)."""
        if self.choice.running:
            self.window.statusBar().showMessage("Stop the run before changing lesson.", 4000)
            return
        ids = catalogue.ids()
        here = ids.index(self.choice.lesson.id)
        self.choice.select(ids[(here + by) % len(ids)])

    def show_shortcuts(self) -> None:
        """Show the sheet of every action and its key (a window beside the main one)."""
        if self.dialog is None:
            self.dialog = ShortcutsDialog(self.window)
        self.dialog.fill(self.window)
        self.dialog.show()
        self.dialog.raise_()
