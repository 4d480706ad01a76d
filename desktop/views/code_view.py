"""The code view: the source of the code the lesson runs, highlighted by Pygments."""

from __future__ import annotations

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QTextBrowser

from desktop.style import look
from scenarios.model.lesson import Lesson

# Pygments styles whose colours read on the light and on the dark theme's background.
LIGHT_STYLE, DARK_STYLE = "friendly", "github-dark"
_FORMATTERS = {style: HtmlFormatter(noclasses=True, style=style, nobackground=True)
               for style in (LIGHT_STYLE, DARK_STYLE)}


def to_html(source: str, dark: bool = False) -> str:
    """Python source as highlighted HTML, in colours for a light or a dark background."""
    return highlight(source, PythonLexer(), _FORMATTERS[DARK_STYLE if dark else LIGHT_STYLE])


class CodeView(QTextBrowser):
    """Shows a lesson's running code, read-only, in a fixed-width font."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))  # lesson code lines are up to 100 wide
        # the widget's own font, so a change of the app's font (zoom) leaves it fixed-width
        self._font = font
        self.setFont(font)
        self._lesson: Lesson | None = None

    def show_lesson(self, lesson: Lesson) -> None:
        """Display the source of this lesson's code."""
        self._lesson = lesson
        self.setHtml(to_html(lesson.source(), look.current().dark))

    def apply_look(self) -> None:
        """The font at the current zoom, the colours of the current theme."""
        self.setFont(look.scaled_font(self._font, look.current().scale))
        if self._lesson is not None:
            self.show_lesson(self._lesson)
