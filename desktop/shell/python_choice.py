"""Lab → Python for processes…: which Python the process back end's lesson process runs on.

The choice is remembered (its path) and checked again at start, off the window's thread; a
Python that no longer answers is forgotten with a line in the status bar.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.shell.actions import window_action
from desktop.shell.settings import Settings
from desktop.views.python_dialog import PythonDialog
from scenarios.engine.interpreters import BadInterpreter, Interpreter, check

SETTING = "python/path"


class PythonChoice(QObject):
    """The Python of the lessons' processes (None: the lab's own), chosen, shown, remembered."""

    changed = Signal(object)  # the Interpreter now chosen, or None
    _checked = Signal(object, str)  # a remembered path's Interpreter (or None) and why not

    def __init__(self, window: QMainWindow, menu: QMenu, before: QAction,
                 settings: Settings | None) -> None:
        super().__init__(window)
        self.window, self.settings = window, settings
        self.chosen: Interpreter | None = None
        self.action = window_action(window, "Python for processes…", QKeySequence("Ctrl+Shift+Y"),
                                    "Choose the Python the process back end runs lessons on: "
                                    "the lab's own, another found on this machine, or a "
                                    "free-threaded one (GIL off)", self.choose)
        menu.insertAction(before, self.action)
        self._checked.connect(self._remembered)
        remembered = settings.text(SETTING) if settings is not None else None
        if remembered:
            threading.Thread(target=self._check, args=(remembered,), name="python check",
                             daemon=True).start()

    def _check(self, path: str) -> None:
        try:
            python, why = check(path), ""
        except BadInterpreter as exc:
            python, why = None, str(exc)
        try:
            self._checked.emit(python, why)
        except RuntimeError:  # the window closed meanwhile
            pass

    def _remembered(self, python: Interpreter | None, why: str) -> None:
        if python is None:
            self.window.statusBar().showMessage(f"The Python chosen before is gone ({why}): "
                                                "processes run on the lab's own.", 10_000)
            self.set(None)
        elif self.chosen is None:  # not chosen otherwise meanwhile (--python, the dialog)
            self.set(python)

    def choose(self) -> None:
        """Show the list of Pythons; the one picked is used from the next run on."""
        dialog = PythonDialog(self.window, self.chosen)
        if dialog.exec():
            self.set(dialog.picked)

    def set(self, python: Interpreter | None) -> None:
        """Use this Python for the lessons' processes (None or the lab's own: the lab's own)."""
        self.chosen = None if python is None or python.is_bundled else python
        if self.settings is not None:
            self.settings.keep({SETTING: self.chosen.path if self.chosen else ""})
        self.changed.emit(self.chosen)
