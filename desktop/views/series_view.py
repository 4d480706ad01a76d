"""Measured values over time (per-core CPU use, a lesson's counters), on the run's time axis."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.data.rundata import RunData
from desktop.style.plot_style import pen
from desktop.views.legend import legend_html, legend_label
from desktop.views.painting import paint_now, time_plot

COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442"]
# Headroom above and below the data when the y range follows it, so lines never touch the edge.
MARGIN = 0.08
# When values outgrow the range, room is made for this share of their span more: a growing
# counter then rescales the axis a few times per run, not at every frame (each rescale repaints
# the whole plot and its tick labels, through Python, while a lesson's thread wants the GIL).
GROWTH = 0.5


class SeriesView(QWidget):
    """A line per metric chosen by `select`; a fixed y range, or one that follows the data."""

    def __init__(self, y_label: str, select: Callable[[str], bool],
                 y_range: tuple[float, float] | None = None,
                 legend_name: Callable[[str], str] = str, steps: bool = False) -> None:
        super().__init__()
        self.plot = time_plot()
        self.plot.setLabel("left", y_label)
        self._select = select
        self._fixed = y_range
        self._name = legend_name
        self._steps = steps
        if y_range:
            self.plot.setYRange(*y_range, padding=0)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._fitted = False  # True once the y range was fitted to this run's values
        clip_before_paint(self.plot, self._curves.values)
        self.legend = legend_label([])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)

    def clear(self) -> None:
        """Empty the plot for a new run."""
        for curve in self._curves.values():
            self.plot.removeItem(curve)
        self._curves.clear()
        self._fitted = False  # the next run's values get a range of their own, however small
        # The legend keeps its words until the new run's lines replace them: an emptied label
        # would change height, resize the plots, and make Qt repaint them whole at the start of
        # a run, when a lesson's thread already competes for the GIL.

    @property
    def has_data(self) -> bool:
        """True once some metric of this view has arrived."""
        return bool(self._curves)

    def refresh(self, data: RunData) -> None:
        """Redraw the lines that have new values, repainting only where they grew."""
        names = sorted((n for n in data.dirty_metrics if self._select(n)),
                       key=lambda n: (len(n), n))
        fresh: list[float] = []
        for name in names:
            data.dirty_metrics.discard(name)
            times, values = data.metric(name)
            curve = self._curves.get(name) or self._add_curve(name)
            previous = curve.xData[-1] if curve.xData is not None and len(curve.xData) else 0.0
            if self._steps:
                times, values = as_steps(times, values)
            curve.setData(times, values)
            fresh += [previous, float(times[-1])]
        if not fresh:
            return
        if self._fixed is None and self._follow_values(data):
            paint_now(self.plot)
        else:
            paint_now(self.plot, min(fresh), max(fresh))

    def _add_curve(self, name: str) -> pg.PlotDataItem:
        curve = self.plot.plot([], [], pen=pen(colour_of(len(self._curves))))
        # a long run's many values: draw per pixel column its min and max, and only what is seen
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        self._curves[name] = curve
        self._show_legend()
        return curve

    def _show_legend(self) -> None:
        entries = [(colour_of(i), self._name(n)) for i, n in enumerate(self._curves)]
        self.legend.setText(legend_html(entries))

    def apply_look(self) -> None:
        """Draw the lines and the legend again in the app's current look."""
        for i, curve in enumerate(self._curves.values()):
            curve.setPen(pen(colour_of(i)))
        if self._curves:
            self._show_legend()
        paint_now(self.plot)

    def _follow_values(self, data: RunData) -> bool:
        """Widen the y range to hold every value, with room to grow; True if it changed."""
        values = np.concatenate([data.metric(name)[1] for name in self._curves])
        low, high = float(values.min()), float(values.max())
        (y0, y1) = self.plot.getViewBox().viewRange()[1]
        if not self._fitted:  # the first values of a run: fit them, whatever was there before
            self._fitted = True
            y0, y1 = low, high
        elif y0 <= low and y1 >= high:
            return False
        self.plot.setYRange(*grown_range(low, high, y0, y1), padding=0)
        return True


def clip_before_paint(plot: pg.PlotWidget,
                      curves: Callable[[], Iterable[pg.PlotDataItem]]) -> None:
    """Give each curve its points for a new time range before the plot repaints for it.

    A time plot repaints at once when its range changes, and that slot was connected before any
    curve's: a curve clipped to the view would be painted with the old range's points (after a
    zoom, then Whole run, only the zoomed slice) and nothing repaints it after. The x range's own
    signal comes first, so the curves take their new points there.
    """
    def clip(*_: object) -> None:
        for curve in curves():
            curve.viewRangeChanged()

    plot.getViewBox().sigXRangeChanged.connect(clip)


def grown_range(low: float, high: float, y0: float, y1: float) -> tuple[float, float]:
    """The y range that holds low..high with a margin, and room to grow on the side outgrown."""
    span = high - low
    pad = span * MARGIN or max(abs(high), 1.0) * MARGIN
    bottom = low - pad - (span * GROWTH if low < y0 else 0.0)
    top = high + pad + (span * GROWTH if high > y1 else 0.0)
    return bottom, top


def colour_of(index: int) -> str:
    """The colour of a view's line, by the order it was added."""
    return COLOURS[index % len(COLOURS)]


def as_steps(times: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A counter drawn as it is: it holds each value until the next one (no slopes between)."""
    return np.repeat(times, 2)[1:], np.repeat(values, 2)[:-1]


def cores_view() -> SeriesView:
    """Per-core CPU use in percent (psutil, 10 samples a second)."""
    view = SeriesView("CPU %", lambda name: name.startswith("core"), (-5, 110),
                      lambda name: name.replace("core", "core "))
    view.plot.getAxis("left").setTicks([[(0, "0"), (50, "50"), (100, "100")]])
    # named before the first sample: a legend that appears later re-lays the window out as a
    # run starts, and every plot repaints whole
    cores = [(colour_of(i), f"core {i}") for i in range(os.cpu_count() or 1)]
    view.legend.setText(legend_html(cores))
    return view


def measures_view() -> SeriesView:
    """The values a lesson measures as it runs (a counter, a queue depth, a balance)."""
    return SeriesView("value", lambda name: not name.startswith("core"), steps=True)
