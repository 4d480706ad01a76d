"""The console: every printed line, coloured by the thread or process that printed it."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QPlainTextEdit

from desktop.data.rundata import RunData
from desktop.style import look
from desktop.style.palette import LAB_COLOUR, STDERR_COLOUR, readable, worker_colour
from scenarios.engine.events import Line

# Enough for any lesson's story; older lines scroll away rather than eat memory.
MAX_LINES = 5000
# A web address in a line (Dask's dashboard): drawn as a link that a click opens.
URL = re.compile(r"https?://[^\s<>\"']+")
# A space that HTML would collapse: one at the start, or one followed by another.
KEPT_SPACE = re.compile(r"^ | (?= )")


class ConsoleView(QPlainTextEdit):
    """An IDE-like run pane: `[Thread 1] ...` lines in the thread's colour, errors in red."""

    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self._font = font  # at the default look's size
        self.setFont(font)
        self.setPlaceholderText("Output of the run appears here.")
        self.filtered = False  # showing only a clicked bar's lines
        self._data: RunData | None = None

    def refresh(self, data: RunData) -> None:
        """Append the lines that arrived since the last refresh (held while a filter shows)."""
        self._data = data
        if self.filtered:
            return
        lines = data.take_new_lines()
        if lines:
            self._append(data, lines)

    def _append(self, data: RunData, lines: list[Line]) -> None:
        if len(lines) > MAX_LINES:  # only the last ones would stay: the rest cost a stall
            lines = lines[-MAX_LINES:]
        self.appendHtml("<br>".join(self._html(data, line) for line in lines))
        self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())

    @staticmethod
    def _html(data: RunData, line: Line) -> str:
        if line.stream == "lab":
            colour = readable(LAB_COLOUR)
        elif line.stream == "stderr":
            colour = readable(STDERR_COLOUR)
        else:
            colour = worker_colour(data.row_of(line.worker))
        name = html.escape(line.worker.name).replace(" ", "&nbsp;")  # "[Thread 1]" stays whole
        return f'<span style="color:{colour}"><b>[{name}]</b> {linked(line.text)}</span>'

    def clear_run(self) -> None:
        """Empty the console for a new run."""
        self.filtered = False
        self._data = None
        self.clear()

    def show_only(self, data: RunData, lines: list[Line], caption: str) -> None:
        """Show just these lines under a caption (a clicked bar's), until show_all."""
        self._data = data
        self.filtered = True
        self.clear()
        note = html.escape(caption) + " · click empty timeline space or press Esc for all lines"
        self.appendHtml(f'<i style="color:{readable(LAB_COLOUR)}">{note}</i>')
        if lines:
            self._append(data, lines)
        else:
            self.appendHtml("<i>(nothing printed then)</i>")

    def show_all(self) -> None:
        """Back to every line of the run, new ones included."""
        if not self.filtered or self._data is None:
            return
        self.filtered = False
        self._show_every_line()

    def apply_look(self) -> None:
        """The font at the current zoom, and the lines again in the current theme's colours."""
        self.setFont(look.scaled_font(self._font, look.current().scale))
        if self._data is not None and not self.filtered:
            self._show_every_line()

    def _show_every_line(self) -> None:
        """Every line of the run, new ones included (the last MAX_LINES)."""
        self.clear()
        self._data.take_new_lines()
        lines = self._data.lines[-MAX_LINES:]
        if lines:
            self._append(self._data, lines)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A pointing hand over a link."""
        over = bool(self.anchorAt(event.position().toPoint()))
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                  else Qt.CursorShape.IBeamCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A click on a link opens it in the web browser."""
        href = self.anchorAt(event.position().toPoint())
        if href and event.button() == Qt.MouseButton.LeftButton:
            QDesktopServices.openUrl(QUrl(href))
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Esc leaves a filtered view."""
        if event.key() == Qt.Key.Key_Escape and self.filtered:
            self.show_all()
            return
        super().keyPressEvent(event)


def linked(text: str) -> str:
    """A console line as HTML: escaped, spaces kept, web addresses as links."""
    parts, last = [], 0
    for found in URL.finditer(text):
        parts.append(_plain(text[last:found.start()]))
        url = html.escape(found.group(), quote=True)
        parts.append(f'<a href="{url}">{url}</a>')
        last = found.end()
    parts.append(_plain(text[last:]))
    return "".join(parts)


def _plain(text: str) -> str:
    """Escaped, with runs of spaces kept: the last space of a run stays a place to wrap.

    Every space a no-break space left a line no place to wrap but inside a word or a number.
    """
    return KEPT_SPACE.sub("&nbsp;", html.escape(text))
