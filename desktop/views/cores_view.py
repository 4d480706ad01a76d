"""Per-core CPU use over time, on the timeline's time axis."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.rundata import RunData
from desktop.views.legend import legend_label
from desktop.views.painting import paint_now, time_plot

CORE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                "#F0E442"]


class CoresView(QWidget):
    """A line per core: percent busy, sampled by psutil at 10 Hz."""

    def __init__(self) -> None:
        super().__init__()
        self.plot = time_plot()
        self.plot.setYRange(-5, 110, padding=0)
        self.plot.setLabel("left", "CPU %")
        self.plot.getAxis("left").setTicks([[(0, "0"), (50, "50"), (100, "100")]])
        self._curves: dict[str, pg.PlotDataItem] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.legend = legend_label([])
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)

    def _label_cores(self) -> None:
        entries = [(CORE_COLOURS[i % len(CORE_COLOURS)], f"core {i}")
                   for i in range(len(self._curves))]
        self.legend.setText(legend_label(entries).text())

    def clear(self) -> None:
        """Empty the plot for a new run."""
        for curve in self._curves.values():
            self.plot.removeItem(curve)
        self.legend.setText("")
        self._curves.clear()

    def refresh(self, data: RunData) -> None:
        """Redraw the lines of cores with new samples."""
        fresh: list[float] = []
        for i, name in enumerate(data.metric_names("core")):
            if name not in data.dirty_metrics:
                continue
            data.dirty_metrics.discard(name)
            times, values = data.metric(name)
            curve = self._curves.get(name)
            if curve is None:
                pen = pg.mkPen(CORE_COLOURS[i % len(CORE_COLOURS)], width=1)
                curve = self.plot.plot([], [], pen=pen)
                self._curves[name] = curve
                self._label_cores()
            previous = curve.xData[-1] if curve.xData is not None and len(curve.xData) else 0.0
            curve.setData(times, values)
            fresh += [previous, float(times[-1])]
        if fresh:
            paint_now(self.plot, min(fresh), max(fresh))
