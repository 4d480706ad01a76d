"""The result card: the run's outcome in large type (expected vs actual, speedup, ...)."""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.style.palette import CAVEAT, DIM, readable
from scenarios.engine.events import Result
from scenarios.model.lesson import Lesson
from scenarios.model.words import describe, plural, value_text

GOOD, BAD, NEUTRAL = "#1B7F3A", "#C62828", "#333333"
CAVEAT_KEY = "caveat"  # the result's words on a figure that cannot be taken at face value
# Values for the run's JSON and saved runs, too long to list (thousands of slices on a CPU):
# the card and the comparison leave them out; their figures are values of their own.
BULKY = ("cpu_slices",)
NOT_LISTED = (CAVEAT_KEY, *BULKY)
# The headline's size against the app's text (so zoom and presentation scale it too).
HEADLINE_SCALE = 1.3


def fmt(value: Any, key: str = "") -> str:
    """A result value as a learner reads it (1,234 · 0.5123 · yes · a short list; a pid as is)."""
    return value_text(value, key)


def rows(lesson: Lesson, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The card's (what, value) rows: parameters by their labels, other keys as words."""
    return [describe(key, value, lesson.params, lesson.words) for key, value in values.items()
            if key not in NOT_LISTED and value is not None]


VERDICT_COLOURS = {"good": GOOD, "bad": BAD, "neutral": NEUTRAL}


def headline(lesson: Lesson, values: dict[str, Any]) -> tuple[str, str]:
    """The one big sentence a lesson's result boils down to, and its colour (never raises)."""
    try:
        return _headline(lesson, values)
    except (KeyError, TypeError, ValueError):  # a result without the usual keys: its rows say it
        return "", NEUTRAL


def _headline(lesson: Lesson, values: dict[str, Any]) -> tuple[str, str]:
    if lesson.headline is not None:
        told = lesson.headline(values)
        return html.escape(told.text), VERDICT_COLOURS.get(told.verdict, NEUTRAL)
    if "lost_updates" in values:
        lost = values["lost_updates"]
        got = values.get("actual", values.get("final_balance"))
        text = f"{plural(lost, 'update')} lost"
        if "expected" in values and got is not None:
            text = f"expected {fmt(values['expected'])} · got {fmt(got)}<br>{text}"
        return text, BAD if lost else GOOD
    if "speedup" in values:
        speedup = values["speedup"]
        how = "faster than serial" if speedup >= 1 else "— slower than serial"
        return f"{speedup:.2f}× {how}", GOOD if speedup > 1.2 else NEUTRAL
    return "", NEUTRAL


def caveat_html(values: dict[str, Any]) -> str:
    """The result's caveat, if it has one, as a smaller amber paragraph under the headline."""
    caveat = values.get(CAVEAT_KEY)
    if not caveat:
        return ""
    return (f"<p style='font-size:small; font-weight:normal; color:{readable(CAVEAT)}'>"
            f"⚠ {html.escape(str(caveat))}</p>")


class ResultCard(QFrame):
    """Shows a run's Result: a headline in large type and every value, scrolling if need be."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._title = QLabel("<b>Result</b>")
        self._headline = QLabel()
        self._headline.setWordWrap(True)
        self._details = QLabel()
        self._details.setWordWrap(True)
        self._details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The values as the lesson's code names them, for whoever reads its source: folded away.
        self.raw_toggle = QToolButton()
        self.raw_toggle.setText("Details: the values by their names in the code")
        self.raw_toggle.setCheckable(True)
        self.raw_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.raw_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.raw_toggle.setAutoRaise(True)
        self.raw_toggle.toggled.connect(self._fold)
        self._raw = QLabel()
        self._raw.setWordWrap(True)
        self._raw.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._raw.setVisible(False)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._headline)
        column.addWidget(self._details)
        column.addWidget(self.raw_toggle)
        column.addWidget(self._raw)
        column.addStretch(1)
        # A long headline or many values scroll instead of being cut off (large text, projector).
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(scroll, 1)
        self._shown: tuple[Any, ...] = ("Press Run (F5) to start the lesson.",)
        self.apply_look()

    def apply_look(self) -> None:
        """Size the headline from the current text size and redraw in the current colours."""
        font = QFont(QApplication.font())
        font.setPointSizeF(font.pointSizeF() * HEADLINE_SCALE)
        self._headline.setFont(font)
        if len(self._shown) == 1:
            self.show_waiting(*self._shown)
        else:
            self.show_result(*self._shown)

    def headline_text(self) -> str:
        """The headline as shown (rich text), with its caveat if the result has one."""
        return self._headline.text()

    def values_text(self) -> str:
        """What the card shows outside its details fold, as plain text."""
        return plain_text("<br>".join(label.text()
                                      for label in (self._title, self._headline, self._details)))

    def _fold(self, shown: bool) -> None:
        self.raw_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._raw.setVisible(shown)

    def show_waiting(self, text: str) -> None:
        """No result yet: say what is going on."""
        self._shown = (text,)
        self._title.setText("<b>Result</b>")
        self._headline.setText(f"<span style='color:{readable(DIM)}'>{html.escape(text)}</span>")
        self._details.setText("")
        self._raw.setText("")
        self.raw_toggle.setVisible(False)

    def show_result(self, lesson: Lesson, result: Result, wall_s: float,
                    title: str = "Result") -> None:
        """Display a finished run's result (or a loop's round, under its own title)."""
        self._shown = (lesson, result, wall_s, title)
        self._title.setText(f"<b>{html.escape(title)}</b>")
        if result.error:
            self._headline.setText(f"<span style='color:{readable(BAD)}'>The run failed</span>"
                                   f"<br>{html.escape(result.error)}")
        elif result.stopped:
            self._headline.setText("Stopped")
        else:
            text, colour = headline(lesson, result.values)
            self._headline.setText(f"<span style='color:{readable(colour)}'><b>{text}</b></span>"
                                   + caveat_html(result.values))
        shown = [*rows(lesson, result.values), ("wall time", f"{wall_s:.2f} s")]
        self._details.setText(table_html(shown))
        raw = [(key, repr(value)) for key, value in result.values.items() if key not in BULKY]
        self._raw.setText(table_html(raw))
        self.raw_toggle.setVisible(bool(raw))


def plain_text(rich: str) -> str:
    """Rich text as a reader sees it: a line per row or break, 'what: value', no tags."""
    text = re.sub(r"</td>\s*<td[^>]*>", ": ", rich)
    text = re.sub(r"<br>|</tr>|</p>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def table_html(pairs: list[tuple[str, str]]) -> str:
    """Rows of (what, value) as an HTML table, the names dimmed, line breaks kept."""
    dim = readable(DIM)
    body = "".join(
        f"<tr><td style='color:{dim}; padding-right:8px'>{html.escape(what)}</td>"
        f"<td>{html.escape(text).replace(chr(10), '<br>')}</td></tr>" for what, text in pairs)
    return f"<table>{body}</table>"
