"""The responsiveness summary: how late the window answered during the latest run of each way."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.data.analysis import WayPoint
from desktop.style.palette import LINE_CONTRAST, readable
from desktop.style.plot_style import pen
from desktop.views.run_chart import RunChart
from desktop.views.speedup_chart import entry, swatch

HINT = ("Run the lesson once each way (ui, qthread, process) with the same work: their lag and "
        "missed clicks are shown here side by side.")
# p50, p99 and max lag: light to dark, one hue, so the three read as one scale
LAG_COLOURS = ("#9ECAE1", "#3182BD", "#08306B")
LAG_NAMES = ("typical (p50)", "p99", "worst")
MISSED_COLOUR, ANSWERED_COLOUR = "#C62828", "#1B7F3A"  # the result card's bad and good
FLOOR_MS = 0.1  # the bottom of the log axis: a lag this small is no lag at all
BAR = 0.26
DECADES = (0.1, 1, 10, 100, 1000, 10_000)
# Room above the highest bar for its label, in decades of the log axis.
HEADROOM = 0.8
FRAME_COLOUR = "#E69F00"  # as the lag strip's 16 ms line


def decade_label(ms: float) -> str:
    """A tick of the log lag axis: '0.1', '10', '1 s'."""
    return f"{ms / 1000:g} s" if ms >= 1000 else f"{ms:g}"


class WaysChart(RunChart):
    """Three bars per way (typical, p99, worst lag, on a log scale) and the clicks it missed."""

    def __init__(self) -> None:
        super().__init__(HINT, "way", "UI lag (ms, log scale)")

    def show_points(self, points: Sequence[WayPoint]) -> None:
        """Draw the latest run of each way."""
        self.clear()
        self._redraw = partial(self.show_points, points)
        if not points:
            return
        xs = np.arange(len(points), dtype=float)
        floor = math.log10(FLOOR_MS)
        top = floor
        for i, colour in enumerate(LAG_COLOURS):
            lags = np.array([max(p[3 + i], FLOOR_MS) for p in points])
            heights = np.log10(lags) - floor
            top = max(top, float(np.log10(lags).max()))
            self.plot.addItem(pg.BarGraphItem(x=xs + (i - 1) * BAR, y0=floor, height=heights,
                                              width=BAR,
                                              brush=readable(colour, LINE_CONTRAST),
                                              pen=pen(colour)))
        for x, point in zip(xs, points, strict=True):
            colour = readable(MISSED_COLOUR if point.clicks_missed else ANSWERED_COLOUR)
            label = pg.TextItem(f"{point.clicks_missed} of {point.clicks_sent}\nmissed",
                                color=colour, anchor=(0.5, 1.0))
            label.setPos(x, math.log10(max(point.lag_max, FLOOR_MS)))
            self.plot.addItem(label)
            self.bar_labels.append(label)
        legend = [f"{swatch(c, '■')} {name}" for c, name in zip(LAG_COLOURS, LAG_NAMES,
                                                                  strict=True)]
        legend.append("n of m missed: clicks answered over 100 ms late")
        self.legend.setToolTip("The latest run of each way: " + ", ".join(
            f"{p.way} is run #{p.run} ({p.work})" for p in points) + ". The dashed line is "
            "16 ms, a frame missed at 60 Hz.")
        self.legend.setText(" &nbsp; &nbsp;".join(entry(e) for e in legend))
        self._set_ranges(points, floor, top)
        self.show_chart()

    def _set_ranges(self, points: Sequence[WayPoint], floor: float, top: float) -> None:
        self.plot.setXRange(-0.6, len(points) - 0.4, padding=0)
        self.plot.setYRange(floor, max(top, 1.0) + HEADROOM, padding=0)  # room for the labels
        names = [(i, p.way) for i, p in enumerate(points)]
        self.plot.getAxis("bottom").setTicks([names, []])
        self.plot.getAxis("left").setTicks([[(math.log10(d), decade_label(d))
                                              for d in DECADES], []])
        frame = pg.InfiniteLine(math.log10(16), angle=0,
                                pen=pen(FRAME_COLOUR, style=Qt.PenStyle.DashLine))
        self.plot.addItem(frame)
