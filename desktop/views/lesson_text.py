"""The lesson's explanation (what to watch, what to try, why it happens) and its checklist.

The checklist lists the things to try, ticked as runs do them.
"""

from __future__ import annotations

import html
import sys

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from desktop.style.palette import DIM, readable
from desktop.views.try_list import TryList
from scenarios.model.lesson import Lesson


class LessonTextView(QWidget):
    """The three parts of a lesson's text, with the Python that runs it, above its things to try."""

    def __init__(self) -> None:
        super().__init__()
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.tries = TryList()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.tries, 0)

    def show_lesson(self, lesson: Lesson) -> None:
        """Display this lesson's text and its things to try."""
        parts = [f"<h3>{html.escape(lesson.title)}</h3>",
                 f"<p><i>{html.escape(lesson.summary)}</i></p>"]
        for heading, body in (("What to watch", lesson.text.watch),
                              ("What to try", lesson.text.try_),
                              ("Why", lesson.text.why)):
            parts.append(f"<p><b>{heading}.</b> {html.escape(body)}</p>")
        version = sys.version.split()[0]
        parts.append(f"<p style='color:{readable(DIM)}'>Running on Python {version}.</p>")
        self.text.setHtml("".join(parts))
        self.tries.show_lesson(lesson)

