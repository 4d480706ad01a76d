"""Runs compared: the lesson's chart across runs (speedup or race) above the runs side by side."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.data import analysis
from desktop.data.history import RunHistory
from desktop.views.history_view import HistoryTable
from desktop.views.race_chart import RaceChart
from desktop.views.speedup_chart import SpeedupChart
from desktop.views.ways_chart import WaysChart
from scenarios.model.lesson import Lesson

CORES = os.cpu_count() or 1


class CompareView(QWidget):
    """The chart a lesson has across runs (if any) and a table of its runs."""

    def __init__(self, history: RunHistory) -> None:
        super().__init__()
        self.history = history
        self.speedup = SpeedupChart()
        self.race = RaceChart()
        self.ways = WaysChart()
        self.table = HistoryTable()
        self.empty = QLabel("No run of this lesson yet. Each run you make is added here, "
                            "so you can compare them side by side.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        split = QSplitter(Qt.Orientation.Vertical)
        for part in (self.speedup, self.race, self.ways, self.table):
            split.addWidget(part)
        split.setSizes([260, 260, 260, 200])
        self._split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)

    def has_chart(self, lesson: Lesson) -> bool:
        """True if this lesson draws a chart across runs."""
        return lesson.speedups is not None or lesson.race is not None or _has_ways(lesson)

    def show_lesson(self, lesson: Lesson) -> bool:
        """Show a lesson's runs; True if its chart has something to show."""
        records = self.history.of_lesson(lesson.id)
        self.empty.setVisible(not records)
        self.table.setVisible(bool(records))
        self.table.show_runs(lesson, records)
        self.speedup.setVisible(lesson.speedups is not None)
        self.race.setVisible(lesson.race is not None)
        self.ways.setVisible(_has_ways(lesson))
        # the parts' minimum sizes changed: the tab's layout would keep the old, summed ones
        self._split.updateGeometry()
        if lesson.speedups is not None:
            self.speedup.show_points(analysis.speedup_points(records, lesson), CORES,
                                     analysis.speedup_caveats(records, lesson))
            return not self.speedup.is_empty
        if lesson.race is not None:
            self.race.show_points(analysis.race_points(records, lesson))
            return not self.race.is_empty
        if _has_ways(lesson):
            self.ways.show_points(analysis.way_points(records, lesson))
            return not self.ways.is_empty
        return False


def _has_ways(lesson: Lesson) -> bool:
    return lesson.way_param() is not None
