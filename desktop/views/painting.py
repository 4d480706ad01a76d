"""Plots on the run's time axis, painted at once from Python so a busy GIL is waited for once."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRect

from desktop.style.plot_style import style_plot

# Wide enough for 'pool worker 12 · 123456'; every plot on the time axis uses it, so axes align
# (zoom and presentation scale it with the text: see plot_style).
AXIS_WIDTH = 170
# Half the widest thing drawn at a point (an event tick), so a strip repaint never cuts one.
STRIP_MARGIN_PX = 14


def paint_now(plot: pg.PlotWidget, x_from: float | None = None, x_to: float | None = None
              ) -> None:
    """Repaint a plot synchronously while this (GUI) thread holds the GIL.

    Left to the event loop, Qt paints each pyqtgraph item by calling back into Python, and every
    callback must win the GIL again: with a CPU-bound lesson thread that is a 5 ms wait per item
    (the switch interval), 100 ms and more per frame. Painting from inside our own slot keeps the
    GIL for the whole frame.
    Given x_from..x_to (data coordinates), only that vertical strip is repainted: new data arrives
    at the live edge, and rasterising a strip costs a fraction of the whole plot.
    """
    # The scene's own bookkeeping after setData is a queued call; run it here too.
    QCoreApplication.sendPostedEvents(plot.scene(), QEvent.Type.MetaCall)
    viewport = plot.viewport()
    if x_from is None or x_to is None:
        viewport.repaint()
        return
    box = plot.getViewBox()
    left = plot.mapFromScene(box.mapViewToScene(QPointF(x_from, 0))).x()
    right = plot.mapFromScene(box.mapViewToScene(QPointF(x_to, 0))).x()
    # Only inside the data area: an axis repainted draws each tick label through Python, one
    # wait for the GIL per call while a lesson's thread computes.
    area = plot.mapFromScene(box.sceneBoundingRect()).boundingRect()
    x0 = max(area.left(), min(left, right) - STRIP_MARGIN_PX)
    width = min(area.right() + 1, max(left, right) + STRIP_MARGIN_PX) - x0
    if width > 0:
        viewport.repaint(QRect(x0, area.top(), width, area.height()))


def paint_only_on_demand(plot: pg.PlotWidget) -> None:
    """Stop Qt from repainting the plot on its own after data changes; we call paint_now.

    Auto-range is off (it costs ~100x while streaming); any change of the view's range (by code,
    by the mouse, or by a linked plot) repaints at once, and a resize repaints as usual. The
    scene keeps no item index, which spares many Python boundingRect calls.
    """
    plot.setViewportUpdateMode(pg.QtWidgets.QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
    plot.scene().setItemIndexMethod(pg.QtWidgets.QGraphicsScene.ItemIndexMethod.NoIndex)
    plot.getViewBox().disableAutoRange()
    plot.getViewBox().sigRangeChanged.connect(lambda *_: paint_now(plot))


def plain_axes(plot: pg.PlotWidget) -> None:
    """Axes in the units their labels name: no '(x0.001)' rescaling of seconds or counts."""
    for name in ("left", "bottom"):
        plot.getAxis(name).enableAutoSIPrefix(False)


def time_plot() -> pg.PlotWidget:
    """A plot on the run's time axis: pans and zooms in time only, repaints only on demand."""
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=True, y=False)
    plot.hideButtons()
    plot.getAxis("left").setWidth(AXIS_WIDTH)
    plain_axes(plot)
    paint_only_on_demand(plot)
    style_plot(plot)
    return plot
