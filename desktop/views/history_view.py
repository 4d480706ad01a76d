"""The run history as a table: this lesson's runs side by side, a column each."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

from desktop.data.history import RunRecord
from desktop.views.result_card import BULKY, fmt
from scenarios.model.lesson import Lesson
from scenarios.model.words import describe

# The newest runs only: more columns than this would not fit beside each other anyway.
MAX_COLUMNS = 12
# A column no wider than this: runs side by side stay side by side beside long values (a
# caveat, each thread's share on a CPU).
MIN_COLUMN_PX, MAX_COLUMN_PX = 100, 220
PYTHON_ROW = 1  # the row of the Python each run ran on (see field_rows)


def field_rows(lesson: Lesson, records: list[RunRecord]) -> list[tuple[str, Any]]:
    """(row heading, how to read it from a record as text) for the table's rows.

    Parameters go by the labels the panel shows them under, result values by their keys in
    words; a value a run does not have is a dash.
    """
    rows: list[tuple[str, Any]] = [("back end", lambda r: r.backend),
                                   ("Python", lambda r: fmt(r.values.get("python"))),
                                   ("outcome", lambda r: r.outcome)]
    for p in lesson.params:
        rows.append((p.title, lambda r, p=p: describe(p.name, r.params.get(p.name),
                                                      lesson.params)[1]))
    # a parameter that is also in the result (a live one at its end value) has its row above
    taken = {"python", *BULKY, *(p.name for p in lesson.params)}
    keys = [k for k in lesson.result_keys if k not in taken]
    for record in records:
        keys += [k for k in record.values if k not in keys and k not in taken]
    rows += [(describe(key, None, (), lesson.words)[0],
              lambda r, key=key: describe(key, r.values.get(key))[1]) for key in keys]
    rows.append(("wall time", lambda r: f"{r.wall_s:.3f} s"))
    return rows


class HistoryTable(QTableWidget):
    """Runs of the current lesson as columns; a value that changed since the run before is bold."""

    def __init__(self) -> None:
        super().__init__()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setToolTip("Every run of this lesson in this session, newest on the right. "
                        "Bold: changed since the run before.")

    def fit_columns(self) -> None:
        """Columns as wide as their values, but the newest two runs side by side.

        A long value is elided (its tooltip has it all); the Python a run ran on wraps.
        """
        self.resizeColumnsToContents()
        widest = max(MIN_COLUMN_PX, min(MAX_COLUMN_PX, self.viewport().width() // 2))
        for column in range(self.columnCount()):
            self.setColumnWidth(column, min(self.columnWidth(column), widest))
        if self.rowCount() > PYTHON_ROW:
            self.resizeRowToContents(PYTHON_ROW)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Fit the columns to the new width."""
        super().resizeEvent(event)
        self.fit_columns()

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
                text = str(read(record))
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c and text != str(read(records[c - 1])):
                    item.setFont(bold)
                self.setItem(r, c, item)
        self.fit_columns()
        if records:
            self.scrollToItem(self.item(0, len(records) - 1))
