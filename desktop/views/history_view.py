"""The run history as a table: this lesson's runs side by side, a column each."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

from desktop.data.history import RunRecord
from desktop.views.result_card import fmt
from scenarios.model.lesson import Lesson

# The newest runs only: more columns than this would not fit beside each other anyway.
MAX_COLUMNS = 12


def field_rows(lesson: Lesson, records: list[RunRecord]) -> list[tuple[str, Any]]:
    """(row heading, how to read it from a record) for the table's rows."""
    rows: list[tuple[str, Any]] = [("back end", lambda r: r.backend),
                                   ("outcome", lambda r: r.outcome)]
    for p in lesson.params:
        rows.append((p.label, lambda r, name=p.name: r.params.get(name, "")))
    keys = list(lesson.result_keys)
    for record in records:
        keys += [k for k in record.values if k not in keys]
    rows += [(key, lambda r, key=key: r.values.get(key, "")) for key in keys]
    rows.append(("wall time (s)", lambda r: round(r.wall_s, 3)))
    return rows


class HistoryTable(QTableWidget):
    """Runs of the current lesson as columns; a value that changed since the run before is bold."""

    def __init__(self) -> None:
        super().__init__()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setToolTip("Every run of this lesson in this session, newest on the right. "
                        "Bold: changed since the run before.")

    def show_runs(self, lesson: Lesson, records: list[RunRecord]) -> None:
        """Fill the table with these runs of a lesson (the newest MAX_COLUMNS)."""
        records = records[-MAX_COLUMNS:]
        rows = field_rows(lesson, records)
        self.clear()
        self.setColumnCount(len(records))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels([f"run {r.number}" for r in records])
        self.setVerticalHeaderLabels([heading for heading, _ in rows])
        bold = QFont(self.font())
        bold.setBold(True)
        for c, record in enumerate(records):
            for r, (_, read) in enumerate(rows):
                text = fmt(read(record))
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c and text != fmt(read(records[c - 1])):
                    item.setFont(bold)
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        if records:
            self.scrollToItem(self.item(0, len(records) - 1))
