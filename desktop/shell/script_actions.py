"""Your own script in the window: open, edit, save and run it; its input(); files dropped on."""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.shell.actions import window_action
from desktop.shell.file_actions import FileActions
from desktop.views.script_panel import ScriptPanel
from scenarios.engine.scripts import BadScript, check_script, deck_examples, read_script

SCRIPT_FILTER = "Python script (*.py *.pyw)"
# An untitled script is saved here before it runs (a script runs from a file).
SCRATCH = Path(tempfile.gettempdir()) / "concurrency-lab"


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
        self.path: Path | None = None
        before = files.menu.actions()[2]  # after "Open run…" and "Save run…"
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
        panel.open_clicked.connect(self.open_script)
        panel.save_clicked.connect(self.save)
        panel.save_as_clicked.connect(self.save_as)
        panel.run_clicked.connect(self.run)
        panel.input_entered.connect(self._typed)
        panel.editor.document().modificationChanged.connect(self._show_title)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _add(self, text: str, key: str, tip: str, slot: object, before: QAction) -> QAction:
        action = window_action(self.window, text, QKeySequence(key), tip, slot)
        self.files.menu.insertAction(before, action)
        return action

    def _show_title(self, *_: object) -> None:
        self.panel.show_path(str(self.path) if self.path else None,
                             self.panel.editor.document().isModified())

    # -- files ----------------------------------------------------------------------------------
    def open_script(self, path: str | Path | None = None) -> bool:
        """Open a script in the Script tab (asking which, if no path); False if it cannot be."""
        if path is None:
            path = self.files.ask_open_path("Open script", SCRIPT_FILTER)
            if path is None:
                return False
        try:
            source = read_script(str(path))
        except BadScript as exc:
            self.host.report_error(str(exc))
            return False
        self.path = Path(path).resolve()
        self.panel.editor.setPlainText(source)
        self.panel.editor.document().setModified(False)
        self.panel.editor.mark_line(None)
        self.panel.say("")
        self._show_title()
        self.host.show_script_tab()
        return True

    def open_example(self, path: Path) -> bool:
        """Open a copy of one of the deck's programs (edits go to the copy, not the app)."""
        SCRATCH.mkdir(parents=True, exist_ok=True)
        copy = SCRATCH / path.name
        if not self.files.write(copy, path.read_text(encoding="utf-8"), "the example"):
            return False
        return self.open_script(copy)

    def save(self) -> bool:
        """Save the script to its file (asking where, if it has none)."""
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        """Save the script under a name asked for."""
        name = self.path.name if self.path else "script.py"
        path = self.files.ask_save_path("Save script", name, SCRIPT_FILTER)
        if path is None:
            return False
        if path.suffix not in (".py", ".pyw"):
            path = path.with_suffix(".py")
        if not self._save_to(path):
            return False
        self.path = path.resolve()
        self._show_title()
        return True

    def _save_to(self, path: Path) -> bool:
        if not self.files.write(path, self.panel.editor.toPlainText(), "the script"):
            return False
        self.panel.editor.document().setModified(False)
        return True

    # -- running --------------------------------------------------------------------------------
    def run(self) -> None:
        """Save the script, check it, and run it (a syntax error is marked, nothing runs)."""
        if self.host.running:
            return
        path = self._saved_path()
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

    def _saved_path(self) -> Path | None:
        """The file to run: the script's, saved first; an untitled one goes to a scratch file."""
        if self.path is None:
            SCRATCH.mkdir(parents=True, exist_ok=True)
            path = SCRATCH / "untitled.py"
            return path if self.files.write(path, self.panel.editor.toPlainText(),
                                            "the script") else None
        if self.panel.editor.document().isModified() and not self.save():
            return None
        return self.path

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


def _dropped_script(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The first local .py file in a drag, if any."""
    mime = event.mimeData()
    for url in mime.urls() if mime.hasUrls() else []:
        local = url.toLocalFile()
        if local.endswith((".py", ".pyw")):
            return local
    return None
