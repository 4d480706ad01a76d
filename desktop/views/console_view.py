"""The console: every printed line, coloured by the thread or process that printed it."""

from __future__ import annotations

import html

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit

from desktop.rundata import RunData
from desktop.views.palette import LAB_COLOUR, STDERR_COLOUR, worker_colour

# Enough for any lesson's story; older lines scroll away rather than eat memory.
MAX_LINES = 5000


class ConsoleView(QPlainTextEdit):
    """An IDE-like run pane: `[Thread 1] ...` lines in the thread's colour, errors in red."""

    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setPlaceholderText("Output of the run appears here.")

    def refresh(self, data: RunData) -> None:
        """Append the lines that arrived since the last refresh."""
        lines = data.take_new_lines()
        if not lines:
            return
        chunks = []
        for line in lines:
            if line.stream == "lab":
                colour = LAB_COLOUR
            elif line.stream == "stderr":
                colour = STDERR_COLOUR
            else:
                colour = worker_colour(data.row_of(line.worker))
            name = html.escape(line.worker.name)
            text = html.escape(line.text).replace(" ", "&nbsp;")
            chunks.append(f'<span style="color:{colour}"><b>[{name}]</b> {text}</span>')
        self.appendHtml("<br>".join(chunks))
        self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
