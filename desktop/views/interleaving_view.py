"""The interleaving table of step mode: a column per thread and the shared state, a row per step."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.style.palette import BAD, readable
from scenarios.engine.interleaving import Row, as_text

# Rows shown before the table scrolls: a short race fits whole, a long one keeps the panel usable.
VISIBLE_ROWS = 6


class InterleavingView(QWidget):
    """Who did what at each step, drawn from the real steps: the textbook's table of a race."""

    save_image = Signal()  # the learner asked to save the table as a picture

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.title = QLabel("<b>Interleaving</b>: each step, who went on and what they did")
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the number keys stay step keys
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("A row per step: the thread that went on, what it read (→) or "
                              "wrote (←), and the shared state after it. A write that wipes "
                              "out another thread's update is marked ✗.")
        self.copy_button = QPushButton("Copy as text")
        self.copy_button.setToolTip("Copy the table as tab-separated text (Ctrl+Shift+C)")
        self.copy_button.clicked.connect(self.copy)
        self.save_button = QPushButton("Save as image…")
        self.save_button.setToolTip("Save the table as a PNG picture")
        self.save_button.clicked.connect(self.save_image)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        buttons = QHBoxLayout()
        buttons.addWidget(self.title, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.show_rows([])

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Show these steps (none: the table hides until the first step)."""
        self.rows = list(rows)
        threads = sorted({(row.thread, row.name) for row in rows})
        columns = {number: index for index, (number, _) in enumerate(threads)}
        table = self.table
        table.setUpdatesEnabled(False)
        table.clear()
        table.setColumnCount(len(threads) + 1)
        table.setHorizontalHeaderLabels([name for _, name in threads] + ["shared"])
        table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            table.setVerticalHeaderItem(index, QTableWidgetItem(str(row.step)))
            table.setItem(index, columns[row.thread], self._cell(row))
            table.setItem(index, len(threads), QTableWidgetItem(row.shared))
        table.setUpdatesEnabled(True)
        self._fit_height()
        for widget in (self.title, self.table, self.copy_button, self.save_button):
            widget.setVisible(bool(rows))
        if rows:
            table.scrollToBottom()

    @staticmethod
    def _cell(row: Row) -> QTableWidgetItem:
        item = QTableWidgetItem(row.shown)
        if row.lost:
            item.setForeground(QBrush(QColor(readable(BAD))))
            font = QFont()
            font.setBold(True)
            item.setFont(font)
            item.setToolTip(f"{row.name} writes what it read before another thread's write: "
                            "that update is lost")
        return item

    def _fit_height(self) -> None:
        """Tall enough for the rows (up to VISIBLE_ROWS), so the panel does not scroll for it."""
        table = self.table
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(index) for index in range(min(len(self.rows), VISIBLE_ROWS)))
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows
                             + 2 * table.frameWidth())

    def text(self) -> str:
        """The table as tab-separated text."""
        return as_text(self.rows)

    def copy(self) -> None:
        """Put the table on the clipboard as text."""
        if self.rows:
            QApplication.clipboard().setText(self.text())
