"""What every schedule of a small run ended in: a bar per outcome; a click replays its example."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.style.palette import readable
from scenarios.model.words import plural

GOOD, BAD = "#2E7D32", "#C62828"  # the result card's green and red
BAR_ALPHA = 0.18  # the bars are tints: the text on them stays readable


def is_bad(outcome: str) -> bool:
    """True for an outcome a learner should fear: updates lost, a deadlock, an error."""
    return any(word in outcome for word in ("lost", "overdrawn", "deadlock", "error"))


class OutcomeBars(QWidget):
    """The outcomes of explore: how many schedules end in each, as bars one can click."""

    picked = Signal(list)  # the example schedule of the outcome clicked

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addWidget(self.summary)
        self._bars: list[QPushButton] = []

    def show_counts(self, counts: dict[str, int], examples: dict[str, list[int]], runs: int,
                    pruned: int, complete: bool, wrong: str | None = None) -> None:
        """A bar per outcome, longest first, its length its share of the schedules."""
        for bar in self._bars:
            self._box.removeWidget(bar)
            bar.deleteLater()
        self._bars = []
        total = sum(counts.values())
        for outcome, count in sorted(counts.items(), key=lambda item: -item[1]):
            self._bars.append(self._bar(outcome, count, total, examples[outcome]))
        self.summary.setText(summary(counts, runs, pruned, complete, wrong))

    def _bar(self, outcome: str, count: int, total: int, example: list[int]) -> QPushButton:
        share = count / total if total else 0.0
        colour = BAD if is_bad(outcome) else GOOD
        bar = QPushButton(f"{count:,} of {total:,}   {outcome}")
        stop = min(max(share, 0.001), 0.999)
        tint = QColor(colour)
        fill = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {BAR_ALPHA})"
        bar.setStyleSheet(
            "QPushButton { text-align: left; padding: 4px 8px; "
            f"color: {readable(colour)}; border: 1px solid {colour}; background: "
            f"qlineargradient(x1:0, y1:0, x2:1, y2:0, stop:0 {fill}, stop:{stop:.3f} {fill}, "
            f"stop:{stop + 0.0005:.4f} transparent, stop:1 transparent); }}")
        steps = " ".join(map(str, example))
        bar.setToolTip(f"Replay its shortest schedule in step mode: {steps}")
        bar.setProperty("example", steps)
        bar.clicked.connect(lambda: self.picked.emit(list(example)))
        self._box.addWidget(bar)
        return bar

    def clear(self, note: str = "") -> None:
        """No outcomes: just a note."""
        self.show_counts({}, {}, 0, 0, True)
        self.summary.setText(note)

    def bar_texts(self) -> list[str]:
        """The bars' texts, as shown (for tests)."""
        return [bar.text() for bar in self._bars]

    def click(self, index: int) -> None:
        """Click a bar (for tests and automation)."""
        self._bars[index].click()


def summary(counts: dict[str, int], runs: int, pruned: int, complete: bool,
            wrong: str | None = None) -> str:
    """The outcomes in one sentence: 'k of n schedules lose an update', and what was run.

    `wrong` says what a wrong end is for this lesson ("lose an update"): then k of n is said
    even at 0; otherwise deadlocks are counted.
    """
    total = sum(counts.values())
    if not total:
        return "No schedule ran to its end."
    parts = []
    bad = sum(count for outcome, count in counts.items()
              if is_bad(outcome) and outcome != "deadlock")
    stuck = counts.get("deadlock", 0)
    if wrong:
        parts.append(f"<b>{bad:,} of {total:,}</b> schedules {wrong}")
    if stuck or not wrong:
        parts.append(f"<b>{stuck:,} of {total:,}</b> schedules deadlock")
    ran = (f"{plural(runs, 'run')}; {plural(pruned, 'schedule')} more counted without running "
           "(each reaches a state one of those runs reached, so it ends alike)" if pruned
           else "It was run for real" if runs == 1 else f"Each of the {runs:,} was run for real")
    more = "" if complete else " Stopped before the end: the counts are of what was explored."
    return f"{'; '.join(parts)}. {html.escape(ran)}.{more} Click a bar to replay it."
