"""Your own script in the window: new, open, edit, save and run it; its input(); files dropped.

Only a file the learner chose (opened, or saved with Save as) is ever written. An untitled
script, or a copy of one of the deck's examples, runs from a file in a private temporary folder
of this window's, removed when the window goes.
"""

from __future__ import annotations

import shlex
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from desktop.shell.actions import window_action
from desktop.shell.file_actions import FileActions
from desktop.views.script_panel import UNTITLED, ScriptPanel
from scenarios.engine.scripts import (
    EXAMPLES,
    BadScript,
    check_script,
    deck_examples,
    read_script,
)

SCRIPT_FILTER = "Python script (*.py *.pyw)"
Unsaved = Literal["save", "discard", "cancel"]


class ScriptHost(Protocol):
    """What the script actions need of the window."""

    @property
    def running(self) -> bool: ...  # noqa: D102

    def report_error(self, message: str) -> None: ...  # noqa: D102

    def run_script(self, path: str, args: list[str]) -> None: ...  # noqa: D102

    def send_input(self, text: str) -> None: ...  # noqa: D102

    def show_script_tab(self) -> None: ...  # noqa: D102


class ScriptActions(QObject):
    """The script in the Script tab: its file, its menu entries, and its runs."""

    def __init__(self, window: QMainWindow, host: ScriptHost, panel: ScriptPanel,
                 files: FileActions) -> None:
        super().__init__(window)
        self.window, self.host, self.panel, self.files = window, host, panel, files
        self.path: Path | None = None  # the learner's own file; None: untitled, or an example
        self.example: Path | None = None  # the deck's example the unsaved script is a copy of
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        before = files.menu.actions()[2]  # after "Open run…" and "Save run…"
        self.new_action = self._add("New script", "Ctrl+Shift+N", "An empty script in the "
                                    "Script tab", self.new_script, before)
        self.open_action = self._add("Open script…", "Ctrl+Shift+O", "Open a Python script of "
                                     "your own, to run it here traced", self.open_script, before)
        self._add("Save script", "", "Save the script in the Script tab", self.save, before)
        self._add("Save script as…", "", "Save the script under a new name", self.save_as,
                  before)
        self.examples_menu = QMenu("Examples from the deck", self.window)
        self.examples_menu.setToolTip("The lecture deck's own programs, as its authors wrote "
                                      "them: open one and run it (F5)")
        for path, shows in deck_examples():
            action = self.examples_menu.addAction(f"{path.stem.replace('_', ' ', 1)}: {shows}")
            action.triggered.connect(lambda _=False, p=path: self.open_example(p))
        files.menu.insertMenu(before, self.examples_menu)
        files.menu.insertSeparator(before)
        panel.new_clicked.connect(self.new_script)
        panel.open_clicked.connect(self.open_script)
        panel.save_clicked.connect(self.save)
        panel.save_as_clicked.connect(self.save_as)
        panel.run_clicked.connect(self.run)
        panel.input_entered.connect(self._typed)
        panel.editor.document().modificationChanged.connect(self._show_title)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _add(self, text: str, key: str, tip: str, slot: Callable[[], object],
             before: QAction) -> QAction:
        # called with no argument: `triggered` would pass its checked flag as open_script's path
        action = window_action(self.window, text, QKeySequence(key), tip, lambda: slot())
        self.files.menu.insertAction(before, action)
        return action

    def _show_title(self, *_: object) -> None:
        self.panel.show_path(self._name(), self.panel.editor.document().isModified())

    def _name(self) -> str:
        """What the script is called: its file's path, 'example.py (copy)', or untitled.py."""
        if self.path is not None:
            return str(self.path)
        return f"{self.example.name} (copy)" if self.example else UNTITLED

    def _file_name(self) -> str:
        """The script's file name: its file's, its example's, or untitled.py."""
        return (self.path or self.example or Path(UNTITLED)).name

    # -- files ----------------------------------------------------------------------------------
    def new_script(self) -> bool:
        """An empty, untitled script (once unsaved changes are saved or given up)."""
        if not self.may_replace():
            return False
        self._show_script("", None, None)
        return True

    def open_script(self, path: str | Path | None = None) -> bool:
        """Open a script in the Script tab (asking which, if no path); False if it cannot be.

        One of the deck's examples opens as an unsaved copy.
        """
        if path is None:
            path = self.files.ask_open_path("Open script", SCRIPT_FILTER)
            if path is None:
                return False
        if _is_example(Path(path)):
            return self.open_example(Path(path))
        source = self._read(path)
        if source is None or not self.may_replace():
            return False
        self._show_script(source, Path(path).resolve(), None)
        return True

    def open_example(self, path: Path) -> bool:
        """Open one of the deck's programs as an unsaved copy: its file is never written."""
        source = self._read(path)
        if source is None or not self.may_replace():
            return False
        self._show_script(source, None, path)
        return True

    def _read(self, path: str | Path) -> str | None:
        """A script's source; None (and said why) if it cannot be opened."""
        try:
            return read_script(str(path))
        except BadScript as exc:
            self.host.report_error(str(exc))
            return None

    def _show_script(self, source: str, path: Path | None, example: Path | None) -> None:
        self.path, self.example = path, example
        self.panel.editor.setPlainText(source)
        self.panel.editor.document().setModified(False)
        self.panel.editor.mark_line(None)
        self.panel.say("")
        self._show_title()
        self.host.show_script_tab()

    def may_replace(self) -> bool:
        """True once the script's unsaved changes are saved or given up; False: keep them."""
        if not self.panel.editor.document().isModified():
            return True
        answer = self.ask_unsaved(self._name())
        return answer == "discard" or (answer == "save" and self.save())

    def ask_unsaved(self, name: str) -> Unsaved:
        """Ask what to do with unsaved changes (tests replace this): save, discard or cancel."""
        buttons = QMessageBox.StandardButton
        chosen = QMessageBox.question(
            self.window, "Unsaved script", f"The script {name} has changes that are not saved. "
            "Save them first?", buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(chosen, "cancel")

    def save(self) -> bool:
        """Save the script to its file (asking where, if it has none)."""
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        """Save the script under a name asked for (not among the deck's examples)."""
        path = self.files.ask_save_path("Save script", self._file_name(), SCRIPT_FILTER)
        if path is None:
            return False
        if path.suffix not in (".py", ".pyw"):
            path = path.with_suffix(".py")
        if _is_example(path):
            self.host.report_error("The deck's examples are the app's own: save your copy in a "
                                   "folder of yours.")
            return False
        if not self._save_to(path):
            return False
        self.path, self.example = path.resolve(), None
        self._show_title()
        return True

    def _save_to(self, path: Path) -> bool:
        if not self.files.write(path, self.panel.editor.toPlainText(), "the script"):
            return False
        self.panel.editor.document().setModified(False)
        return True

    # -- running --------------------------------------------------------------------------------
    def run(self) -> None:
        """Check the script as it is in the editor and run it (a syntax error is marked).

        The learner's own file is saved first; an untitled script or an example's copy runs
        from a temporary file, and no file of theirs or the app's is written.
        """
        if self.host.running:
            return
        path = self._file_to_run()
        if path is None:
            return
        try:
            check_script(str(path))
            args = shlex.split(self.panel.args.text())
        except BadScript as exc:
            self._refuse(str(exc), exc.line)
            return
        except ValueError as exc:  # shlex: an unclosed quote
            self._refuse(f"The arguments cannot be read: {exc}", None)
            return
        self.panel.editor.mark_line(None)
        self.host.run_script(str(path), args)

    def _file_to_run(self) -> Path | None:
        """The learner's file, saved; else the editor's text in a temporary file."""
        if self.path is None:
            return self._scratch_copy()
        if self.panel.editor.document().isModified() and not self.save():
            return None
        return self.path

    def _scratch_copy(self) -> Path | None:
        """The editor's text in this window's private temporary folder (None if it failed)."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="concurrency-lab-")
            self.window.destroyed.connect(self._scratch.cleanup)
        path = Path(self._scratch.name) / self._file_name()
        try:
            path.write_text(self.panel.editor.toPlainText(), encoding="utf-8")
        except OSError as exc:
            self.host.report_error(f"Could not write a temporary copy of the script to run: "
                                   f"{exc.strerror or exc}")
            return None
        return path

    def _refuse(self, message: str, line: int | None) -> None:
        self.panel.editor.mark_line(line)
        self.panel.say(message, bad=True)
        self.host.report_error(message)

    def _typed(self, text: str) -> None:
        self.host.send_input(text + "\n")

    # -- a file dropped on the window -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """A .py file dragged over the window may be dropped; dropped, it opens."""
        if event.type() == QEvent.Type.DragEnter and _dropped_script(event) is not None:
            event.acceptProposedAction()
            return True
        if event.type() == QEvent.Type.Drop:
            path = _dropped_script(event)
            if path is not None:
                event.acceptProposedAction()
                self.open_script(path)
                return True
        return False


def _is_example(path: Path) -> bool:
    """True for a file among the deck's examples (the app's own: never written)."""
    return path.resolve().parent == EXAMPLES


def _dropped_script(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The first local .py file in a drag, if any."""
    mime = event.mimeData()
    for url in mime.urls() if mime.hasUrls() else []:
        local = url.toLocalFile()
        if local.endswith((".py", ".pyw")):
            return local
    return None
