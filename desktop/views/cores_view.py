"""Per-core CPU use over time, on the timeline's time axis."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.rundata import RunData
from desktop.views.painting import paint_now, paint_only_on_demand

CORE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                "#F0E442"]


class CoresView(QWidget):
    """A line per core: percent busy, sampled by psutil at 10 Hz."""

    def __init__(self) -> None:
        super().__init__()
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.hideButtons()
        paint_only_on_demand(self.plot)
        self.plot.setYRange(-5, 110, padding=0)
        self.plot.setLabel("left", "CPU %")
        self.plot.getAxis("left").setWidth(150)
        self.plot.getAxis("left").setTicks([[(0, "0"), (50, "50"), (100, "100")]])
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.legend = self.plot.addLegend(offset=(-4, 2), labelTextSize="8pt",
                                          colCount=4, brush=pg.mkBrush(255, 255, 255, 200))
        self._curves: dict[str, pg.PlotDataItem] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def clear(self) -> None:
        """Empty the plot for a new run."""
        for curve in self._curves.values():
            self.plot.removeItem(curve)
        self.legend.clear()
        self._curves.clear()
        paint_now(self.plot)

    def refresh(self, data: RunData) -> None:
        """Redraw the lines of cores with new samples."""
        changed = False
        for i, name in enumerate(data.metric_names("core")):
            if name not in data.dirty_metrics:
                continue
            data.dirty_metrics.discard(name)
            times, values = data.metric(name)
            curve = self._curves.get(name)
            if curve is None:
                pen = pg.mkPen(CORE_COLOURS[i % len(CORE_COLOURS)], width=1)
                curve = self.plot.plot([], [], pen=pen, name=f"core {i}")
                self._curves[name] = curve
            curve.setData(times, values)
            changed = True
        if changed:
            paint_now(self.plot)
