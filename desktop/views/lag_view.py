"""The window's own responsiveness during a run: event-loop lag over time, on a log scale."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.data.rundata import RunData
from desktop.style.plot_style import pen
from desktop.views.legend import legend_html, legend_label
from desktop.views.painting import paint_now, time_plot
from desktop.views.series_view import clip_before_paint

LAG_COLOUR = "#0072B2"
# Guide lines: above 16 ms a 60 Hz animation drops frames; above 100 ms the window feels stuck.
GUIDES = ((16.0, "16 ms: a frame missed", "#E69F00"), (100.0, "100 ms: feels stuck", "#D55E00"))
# Lag is drawn on log10 of milliseconds: 0.3 ms and 5 s both stay readable.
FLOOR_MS = 0.3
TICKS_MS = (1, 10, 100, 1000, 10000)
# The strip is redrawn at most this often: every redraw costs the window a few GIL waits while a
# lesson's CPU-bound thread runs in the app, and the lag of the last 0.2 s can wait that long.
REDRAW_S = 0.2


def log_ms(values: np.ndarray) -> np.ndarray:
    """Milliseconds as the plot's y (log10, with a floor so 0 ms stays on the plot)."""
    return np.log10(np.maximum(values, FLOOR_MS))


class LagView(QWidget):
    """How late the window served a 10 ms timer during the run, with 16 ms and 100 ms guides."""

    def __init__(self) -> None:
        super().__init__()
        self.plot = time_plot()
        self.plot.setLabel("left", "lag (ms)")
        axis = self.plot.getAxis("left")
        axis.setTicks([[(float(np.log10(t)), f"{t:g}") for t in TICKS_MS]])
        self.guides = [pg.InfiniteLine(float(np.log10(ms)), angle=0) for ms, _, _ in GUIDES]
        for guide in self.guides:
            self.plot.addItem(guide)
        self.curve = self.plot.plot([], [])
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        clip_before_paint(self.plot, lambda: (self.curve,))
        self._top = 0.0
        self._drawn_to = 0.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.legend = legend_label([])
        self.legend.setToolTip("The app's own event loop, probed every 10 ms during the run: "
                               "the freeze a learner feels, measured.")
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        self.apply_look()
        self.clear()

    def apply_look(self) -> None:
        """Pens and legend in the app's current look."""
        for guide, (_, _, colour) in zip(self.guides, GUIDES, strict=True):
            guide.setPen(pen(colour, style=Qt.PenStyle.DashLine))
        self.curve.setPen(pen(LAG_COLOUR))
        entries = [(LAG_COLOUR, "how late the window serves a 10 ms timer")]
        entries += [(c, t) for _, t, c in GUIDES]
        self.legend.setText(legend_html(entries))
        paint_now(self.plot)

    def clear(self) -> None:
        """Empty the strip for a new run."""
        self.curve.setData([], [])
        self._drawn_to = 0.0
        self._drawn_at = 0.0
        self._set_top(200.0)

    def _set_top(self, ms: float) -> None:
        self._top = ms
        self.plot.setYRange(np.log10(FLOOR_MS), np.log10(ms), padding=0.02)

    def refresh(self, data: RunData, force: bool = False) -> None:
        """Draw the lag samples that arrived, repainting only the new stretch.

        At most every REDRAW_S, unless forced.
        """
        if not data.lag_dirty or not len(data.lag):
            return
        now = time.perf_counter()
        if now - self._drawn_at < REDRAW_S and not force:
            return
        self._drawn_at = now
        data.lag_dirty = False
        times, values = data.lag.times, data.lag.values
        self.curve.setData(times.copy(), log_ms(values))
        highest = float(values.max())
        previous, self._drawn_to = self._drawn_to, float(times[-1])
        if highest > self._top:
            self._set_top(highest * 2)  # repaints the whole strip
        else:
            paint_now(self.plot, previous, self._drawn_to)
