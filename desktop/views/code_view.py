"""The code view: the source of the code the lesson runs, highlighted by Pygments."""

from __future__ import annotations

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
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

    def show_lesson(self, lesson: Lesson) -> None:
        """Display the source of this lesson's code."""
        self.setHtml(to_html(lesson.source()))
