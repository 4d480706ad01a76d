"""The Script tab: your own program, its arguments, Run, and a box for what it reads."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.views.code_editor import CodeEditor

UNTITLED = "untitled.py"
RUNNING_NOTE = "Running: type in the box below when it asks for input."


class ScriptPanel(QWidget):
    """A script in an editor, run as it is: threads, locks, processes drawn as for lessons."""

    new_clicked = Signal()
    open_clicked = Signal()
    save_clicked = Signal()
    save_as_clicked = Signal()
    run_clicked = Signal()
    input_entered = Signal(str)  # a line for the script's input()

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.new_button = _button("New", "An empty script (Ctrl+Shift+N)", self.new_clicked)
        self.open_button = _button("Open…", "Open a Python script (Ctrl+Shift+O), or drop one "
                                   "on the window", self.open_clicked)
        self.save_button = _button("Save", "Save the script", self.save_clicked)
        self.save_as_button = _button("Save as…", "Save the script under a new name",
                                      self.save_as_clicked)
        self.run_button = _button("Run script", "Run the script as it is in the editor, in a "
                                  "process of its own, traced (F5 while this tab is open). Your "
                                  "own file is saved first; an untitled script or an example's "
                                  "copy runs from a temporary file", self.run_clicked)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.save_button, self.save_as_button,
                       self.run_button):
            buttons.addWidget(button)
        self.args = QLineEdit()
        self.args.setPlaceholderText("arguments, as on a command line (sys.argv[1:])")
        self.args.setToolTip("What the script gets in sys.argv after its name; quote an argument "
                             "with spaces")
        self.editor = CodeEditor()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.input = QLineEdit()
        self.input.setPlaceholderText("a line for the script's input(), then Enter")
        self.input.setToolTip("While the script runs, what you type here is its stdin, a line "
                              "at a time")
        self.input.returnPressed.connect(self._send)
        self.send_button = QPushButton("Send")
        self.send_button.clicked.connect(self._send)
        typed = QHBoxLayout()
        typed.addWidget(self.input, 1)
        typed.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.args)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.note)
        layout.addLayout(typed)
        self.show_path(None, modified=False)
        self.set_running(False)

    def _send(self) -> None:
        text = self.input.text()
        self.input.clear()
        self.input_entered.emit(text)

    def show_path(self, name: str | None, modified: bool) -> None:
        """Say which script is open (its file, or untitled), and if it has changes not saved."""
        name = html.escape(name or UNTITLED)
        self.title.setText(f"<b>{name}</b>" + (" (modified)" if modified else ""))

    def set_running(self, running: bool) -> None:
        """While the script runs, its input box is live and Run waits."""
        self.run_button.setEnabled(not running)
        self.input.setEnabled(running)
        self.send_button.setEnabled(running)
        if running:
            self.say(RUNNING_NOTE)
        elif self.note.text() == RUNNING_NOTE:
            self.say("")

    def say(self, text: str, bad: bool = False) -> None:
        """A note under the editor (an error in red)."""
        colour = "#C62828" if bad else ""
        self.note.setStyleSheet(f"color: {colour};" if colour else "")
        self.note.setText(text)


def _button(text: str, tip: str, signal: Signal) -> QPushButton:
    """A push button with a tooltip that emits `signal` when clicked."""
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(signal)
    return button
