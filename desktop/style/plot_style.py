"""Plots in the current look: background, axes, tick and label fonts, grid, and pens for lines."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPen
from PySide6.QtWidgets import QApplication

from desktop.style import look
from desktop.style.palette import LINE_CONTRAST, readable

AXES = ("left", "bottom", "right", "top")
# A plot is at least this many lines of its text tall, so its ticks never crowd into each other.
MIN_LINES = 3
# An axis's own fixed width (the timeline's row names), kept on the axis so zoom scales from it.
UNSCALED_WIDTH = "unscaled_width"


def configure_plots() -> None:
    """Set pyqtgraph up for readable, fast plots: the current look's colours, no antialiasing.

    At start the look has a light background. Plots made later start in these colours.
    """
    now = look.current()
    pg.setConfigOptions(background=now.background, foreground=now.foreground, antialias=False)


def pen(colour: str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A pen in the current look: readable colour, width scaled by zoom and presentation.

    Exactly `width` in the default look, where width 1 keeps plots fast.
    """
    return pg.mkPen(readable(colour, LINE_CONTRAST), width=look.current().line_width(width),
                    style=style)


def style_plot(plot: pg.PlotWidget) -> None:
    """Give a plot the current look's background, axis pens, fonts (its words' too) and grid."""
    current = look.current()
    plot.setBackground(current.background)
    font = QApplication.font()  # the app's font, already zoomed
    size = (f"{font.pointSizeF():g}pt" if font.pointSizeF() > 0 else f"{font.pixelSize()}px")
    for name in AXES:
        axis = plot.getAxis(name)
        if not hasattr(axis, UNSCALED_WIDTH):
            setattr(axis, UNSCALED_WIDTH, axis.fixedWidth)
        unscaled = getattr(axis, UNSCALED_WIDTH)
        if unscaled is not None:
            axis.setWidth(round(unscaled * current.scale))
        axis.setTickFont(font)
        axis.labelStyle["font-size"] = size  # the label is redrawn by setTextPen below
        axis.setPen(pg.mkPen(current.foreground, width=current.axis_width))
        axis.setTextPen(current.foreground)
    for item in plot.getViewBox().addedItems:
        if isinstance(item, pg.TextItem):  # words drawn in the plot take their font when made
            item.setFont(font)
    plot.setMinimumHeight(least_height(plot))
    plot.showGrid(alpha=current.grid_alpha)  # only as strong as the look says; shown or not stays
    plot.viewport().update()  # time plots repaint only on demand


def least_height(plot: pg.PlotWidget) -> int:
    """The height a plot needs for a few lines of tick text and its whole y-axis label.

    The label is written along the axis, and cut off on a strip shorter than it.
    """
    lines = MIN_LINES * QFontMetrics(QApplication.font()).height()
    labels = [plot.getAxis(name).label for name in ("left", "right")]
    return round(max([lines] + [label.boundingRect().width() for label in labels
                                if label.isVisible()]))  # (hidden with a hidden axis, too)
