"""The lesson's explanation: what to watch, what to try, why it happens."""

from __future__ import annotations

import html
import sys

from PySide6.QtWidgets import QTextBrowser

from scenarios.lesson import Lesson


class LessonTextView(QTextBrowser):
    """The three parts of a lesson's text, with the Python that runs it."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpenExternalLinks(False)

    def show_lesson(self, lesson: Lesson) -> None:
        """Display this lesson's text."""
        parts = [f"<h3>{html.escape(lesson.title)}</h3>",
                 f"<p><i>{html.escape(lesson.summary)}</i></p>"]
        for heading, body in (("What to watch", lesson.text.watch),
                              ("What to try", lesson.text.try_),
                              ("Why", lesson.text.why)):
            parts.append(f"<p><b>{heading}.</b> {html.escape(body)}</p>")
        version = sys.version.split()[0]
        parts.append(f"<p style='color:#666'>Running on Python {version}.</p>")
        self.setHtml("".join(parts))
