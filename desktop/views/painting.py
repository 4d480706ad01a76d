"""Painting plots at once, from Python, so a busy GIL is waited for once per frame, not per item."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent


def paint_now(plot: pg.PlotWidget) -> None:
    """Repaint a plot synchronously while this (GUI) thread holds the GIL.

    Left to the event loop, Qt paints each pyqtgraph item by calling back into Python, and every
    callback must win the GIL again: with a CPU-bound lesson thread that is a 5 ms wait per item
    (the switch interval), 100 ms and more per frame. Painting from inside our own slot keeps the
    GIL for the whole frame (measured: 33 ms median per frame left to the event loop, 1.6 ms here).
    """
    # The scene's own bookkeeping after setData is a queued call; run it here too.
    QCoreApplication.sendPostedEvents(plot.scene(), QEvent.Type.MetaCall)
    plot.viewport().repaint()


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
