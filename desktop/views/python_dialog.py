"""The dialog that picks the Python of the lessons' processes: those found, or one browsed to."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.style.palette import readable
from desktop.views.result_card import BAD
from scenarios.engine.interpreters import BadInterpreter, Interpreter, check, found

PYTHON_ROLE = Qt.ItemDataRole.UserRole


class Finder(QObject):
    """Looks for the machine's Pythons off the window's thread (running each takes a moment)."""

    done = Signal(list)

    def start(self) -> None:
        """Look; `done` brings the list."""
        threading.Thread(target=self._look, name="python finder", daemon=True).start()

    def _look(self) -> None:
        pythons = found()
        try:
            self.done.emit(pythons)
        except RuntimeError:  # the dialog closed meanwhile
            pass


def describe(python: Interpreter, current: bool = False) -> str:
    """One line of the list: what it is, where it is, which is the lab's own, which is chosen."""
    own = " (the lab's own)" if python.is_bundled else ""
    chosen = " · chosen now" if current else ""
    return f"{python.label}{own}{chosen}\n    {python.path}"


class PythonDialog(QDialog):
    """A list of Pythons (the lab's own first), Browse… for another; `picked` after OK.

    The list keeps the machine's order whatever is chosen: the current choice is selected and
    marked where it stands, not put first.
    """

    def __init__(self, parent: QWidget | None, current: Interpreter | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Python for the lessons' processes")
        self.picked: Interpreter | None = current
        self._current = current
        self.list = QListWidget()
        self.list.setToolTip("The process back end starts the lesson's process on the Python "
                             "chosen here; the window stays on its own. A free-threaded build "
                             "with the GIL off runs threads in parallel.")
        self.list.itemDoubleClicked.connect(self.accept)
        self.status = QLabel("Looking for the Pythons on this machine…")
        self.status.setWordWrap(True)
        browse = QPushButton("Browse…")
        browse.setToolTip("Pick a Python program that is not in the list (CPython 3.10 or "
                          "newer, a free-threaded 3.13t too)")
        browse.clicked.connect(self.browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(browse, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Run the process back end's lessons on:"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, 320)
        self.finder = Finder(self)
        self.finder.done.connect(self.show_found)
        self.finder.start()

    def add(self, python: Interpreter) -> QListWidgetItem:
        """List a Python once (by its file), and return its row."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(PYTHON_ROLE).path == python.path:
                return item
        chosen = (python.is_bundled if self._current is None
                  else python.path == self._current.path)
        item = QListWidgetItem(describe(python, chosen))
        item.setData(PYTHON_ROLE, python)
        item.setToolTip(f"{python.label}\n{python.path}")
        self.list.addItem(item)
        return item

    def show_found(self, pythons: list[Interpreter]) -> None:
        """The search's answer: list them, the current choice (or the lab's own) selected."""
        for python in pythons:
            self.add(python)
        if self._current is not None:  # a Python browsed to before: after those found
            self.add(self._current)
        free = sum(1 for p in pythons if p.free_threaded and not p.gil)
        self.status.setText(f"{len(pythons)} found, {free} with the GIL off. Browse… for "
                            "another.")
        if self.list.currentItem() is None and self.list.count():
            current = self._current.path if self._current else None
            rows = [self.list.item(r) for r in range(self.list.count())]
            chosen = next((i for i in rows if i.data(PYTHON_ROLE).path == current), rows[0])
            self.list.setCurrentItem(chosen)

    def browse(self) -> None:
        """Ask for a file, check it by running it once, list it or say why not."""
        path, _ = QFileDialog.getOpenFileName(self, "A Python program")
        if path:
            self.take(path)

    def take(self, path: str) -> bool:
        """Check the Python at `path`; list and select it, or say in one line why not."""
        try:
            python = check(path)
        except BadInterpreter as exc:
            self.status.setText(f"<span style='color:{readable(BAD)}'>{exc}</span>")
            return False
        self.list.setCurrentItem(self.add(python))
        self.status.setText(f"{python.label}: ready")
        return True

    def accept(self) -> None:
        """OK: the selected Python is the one picked."""
        item = self.list.currentItem()
        if item is not None:
            self.picked = item.data(PYTHON_ROLE)
        super().accept()
