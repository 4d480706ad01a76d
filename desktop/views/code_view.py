"""The code view: the source of the code the lesson runs, highlighted by Pygments."""

from __future__ import annotations

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QTextBrowser

from scenarios.lesson import Lesson

_FORMATTER = HtmlFormatter(noclasses=True, style="friendly", nobackground=True)


def to_html(source: str) -> str:
    """Python source as highlighted HTML."""
    return highlight(source, PythonLexer(), _FORMATTER)


class CodeView(QTextBrowser):
    """Shows a lesson's running code, read-only, in a fixed-width font."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))  # lesson code lines are up to 100 wide
        self.document().setDefaultFont(font)

    def show_lesson(self, lesson: Lesson) -> None:
        """Display the source of this lesson's code."""
        self.setHtml(to_html(lesson.source()))
