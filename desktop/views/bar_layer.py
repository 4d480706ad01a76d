"""Bars of one kind as a settled item and a live item, so a live frame repaints only the new."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg

# (x0, width, y0, height) arrays of the bars made from entries first..last of a column.
Rects = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
RectsOf = Callable[[int, int], Rects]
EMPTY = {"x0": np.empty(0), "width": np.empty(0), "y0": np.empty(0), "height": np.empty(0)}
# Once the live item holds this many entries they are settled: one full redraw of the layer.
SETTLE_AFTER = 500
# Below this many entries of a layer, drawing them all costs less than thinning them to the view.
THIN_FROM = 2000
# Entries closer than this many pixels are drawn as one bar (the hover still tells them apart).
MERGE_PX = 1.0


class BarLayer:
    """Entries drawn once settle into one item; the newest are a second, small live item.

    Qt repaints only the items whose bounds meet the repainted strip, so at the live edge of a
    run with 20,000 spans it draws the live item's few bars instead of all of them.
    """

    def __init__(self, plot: pg.PlotWidget, colour: str, z: float, outline: bool = True) -> None:
        self._plot = plot
        self._settled_n = 0
        # An outline in the bar's colour keeps bars narrower than a pixel visible; without one,
        # a bar's size on screen is its value alone (a CPU share of 0.5 % draws nothing).
        pen = pg.mkPen(colour, width=1) if outline else pg.mkPen(None)
        self.items = [self._item(plot, colour, pen, z) for _ in range(2)]

    @staticmethod
    def _item(plot: pg.PlotWidget, colour: str, pen: object, z: float) -> pg.BarGraphItem:
        item = pg.BarGraphItem(**EMPTY, brush=colour, pen=pen)
        item.setZValue(z)
        plot.addItem(item)
        return item

    def set_colour(self, colour: str, outline: bool = True) -> None:
        """Repaint the layer's bars in another colour (a change of theme)."""
        pen = pg.mkPen(colour, width=1) if outline else pg.mkPen(None)
        for item in self.items:
            item.setOpts(brush=colour, pen=pen)

    def remove(self) -> None:
        """Take the layer off the plot."""
        for item in self.items:
            self._plot.removeItem(item)

    def clear(self) -> None:
        """No bars."""
        self._settled_n = 0
        for item in self.items:
            item.setOpts(**EMPTY)

    def draw(self, rects_of: RectsOf, count: int, whole: bool) -> None:
        """Draw entries 0..count: all of them again if `whole`, else only those not settled."""
        settled, live = self.items
        if whole or count - self._settled_n > SETTLE_AFTER or count < self._settled_n:
            self._set(settled, rects_of(0, count))
            self._settled_n = count
            live.setOpts(**EMPTY)
        else:
            self._set(live, rects_of(self._settled_n, count))

    @staticmethod
    def _set(item: pg.BarGraphItem, rects: Rects) -> None:
        x0, width, y0, height = rects
        item.setOpts(x0=x0, width=width, y0=y0, height=height)
