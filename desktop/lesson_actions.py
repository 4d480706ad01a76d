"""The Lesson and Help menus: previous and next lesson, reset parameters, the shortcuts sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from desktop.views.shortcuts_dialog import ShortcutsDialog
from scenarios.lessons import catalogue

if TYPE_CHECKING:
    from desktop.window import MainWindow


class LessonActions:
    """Moving through the lessons in teaching order, and the keyboard's help sheet."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: ShortcutsDialog | None = None
        menu = window.menuBar().addMenu("L&esson")
        for text, key, tip, step in (
                ("Previous lesson", "Ctrl+Left", "The lesson before this one", -1),
                ("Next lesson", "Ctrl+Right", "The lesson after this one", +1)):
            menu.addAction(window._action(text, QKeySequence(key), tip,
                                          lambda _=False, step=step: self.step(step)))
        menu.addAction(window._action("Reset parameters", QKeySequence("Ctrl+R"),
                                      "Every parameter of this lesson back to its default",
                                      window.params.reset))
        help_menu = window.menuBar().addMenu("&Help")
        help_menu.addAction(window._action("Keyboard shortcuts", QKeySequence("F1"),
                                           "Every action and its key", self.show_shortcuts))

    def step(self, by: int) -> None:
        """Select the lesson `by` places further in teaching order (not while a run goes on)."""
        if self.window.running:
            self.window.statusBar().showMessage("Stop the run before changing lesson.", 4000)
            return
        ids = catalogue.ids()
        here = ids.index(self.window.lesson.id)
        self.window.select(ids[(here + by) % len(ids)])

    def show_shortcuts(self) -> None:
        """Show the sheet of every action and its key (a window beside the main one)."""
        if self.dialog is None:
            self.dialog = ShortcutsDialog(self.window)
        self.dialog.fill(self.window)
        self.dialog.show()
        self.dialog.raise_()
