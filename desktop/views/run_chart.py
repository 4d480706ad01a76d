"""The frame of a chart across runs: a legend above a fixed-range plot, or a hint when empty."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from desktop.style.look import GRID_ALPHA
from desktop.style.plot_style import style_plot
from desktop.views.painting import plain_axes

HINT_MARGIN = 12


class RunChart(QWidget):
    """A plot with its legend, shown once there is something to draw; a hint until then."""

    def __init__(self, hint: str, x_label: str, y_label: str) -> None:
        super().__init__()
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setContentsMargins(*[HINT_MARGIN] * 4)
        # muted text that follows the theme (a fixed grey would vanish on the dark one)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)  # fixed ranges: nothing to pan or zoom
        self.plot.hideButtons()
        self.plot.getViewBox().disableAutoRange()
        # No item index: Qt rebuilds one 2 s after items change, calling every item's
        # boundingRect in Python from the event loop, even for a hidden chart; with a lesson
        # thread computing, each call waits for the GIL.
        self.plot.scene().setItemIndexMethod(pg.QtWidgets.QGraphicsScene.ItemIndexMethod.NoIndex)
        plain_axes(self.plot)
        self.plot.setLabel("bottom", x_label)
        self.plot.setLabel("left", y_label)
        self.plot.showGrid(x=False, y=True, alpha=GRID_ALPHA)
        style_plot(self.plot)
        # what draws the current data again (in a new look): set by the chart that drew it
        self._redraw: Callable[[], None] | None = None
        self.bar_labels: list[pg.TextItem] = []  # words drawn over the bars (cleared with them)
        chart = QWidget()
        column = QVBoxLayout(chart)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.legend)
        column.addWidget(self.plot, 1)
        self._chart = chart
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.hint)
        self._stack.addWidget(chart)

    @property
    def is_empty(self) -> bool:
        """True while the chart shows its hint instead of data."""
        return self._stack.currentWidget() is self.hint

    def clear(self) -> None:
        """Remove everything drawn and show the hint."""
        self.plot.clear()
        self.bar_labels.clear()
        self.legend.setText("")
        self._redraw = None
        self._stack.setCurrentWidget(self.hint)

    def apply_look(self) -> None:
        """Draw the chart again in the app's current look (its plot is styled by style_plot)."""
        if self._redraw is not None:
            self._redraw()

    def show_chart(self) -> None:
        """Show the plot instead of the hint (once something is drawn)."""
        self._stack.setCurrentWidget(self._chart)
