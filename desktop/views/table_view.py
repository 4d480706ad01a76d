"""Live tables a lesson shows (the threads alive now, a wait-for graph): the newest of each."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QTabWidget

from desktop.data.rundata import RunData


def _fill(widget: QTableWidget, columns: tuple[str, ...], rows: tuple[tuple, ...]) -> None:
    widget.setColumnCount(len(columns))
    widget.setHorizontalHeaderLabels(list(columns))
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            widget.setItem(r, c, QTableWidgetItem(str(value)))
    widget.resizeColumnsToContents()


class LiveTables(QTabWidget):
    """A tab per table name, each showing the newest rows the lesson sent."""

    def __init__(self) -> None:
        super().__init__()
        self._tables: dict[str, QTableWidget] = {}

    def clear(self) -> None:
        """Forget every table (a new run)."""
        super().clear()
        self._tables.clear()

    def refresh(self, data: RunData) -> None:
        """Show the newest version of every table."""
        if not data.tables_dirty:
            return
        data.tables_dirty = False
        for name, table in data.tables.items():
            widget = self._tables.get(name)
            if widget is None:
                widget = self._tables[name] = QTableWidget()
                widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
                widget.verticalHeader().setVisible(False)
                self.addTab(widget, name)
            _fill(widget, table.columns, table.rows)
