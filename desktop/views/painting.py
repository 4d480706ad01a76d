"""Plots on the run's time axis, painted at once from Python so a busy GIL is waited for once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRect
from shiboken6 import isValid

from desktop.style.plot_style import style_plot

# Wide enough for 'pool worker 12 · 123456'; every plot on the time axis uses it, so axes align
# (zoom and presentation scale it with the text: see plot_style).
AXIS_WIDTH = 170
# Half the widest thing drawn at a point (an event tick), so a strip repaint never cuts one.
STRIP_MARGIN_PX = 14


class WholeRepaints:
    """The frame's budget of whole-plot repaints: one per frame, the rest owed to later frames.

    A change of the shared time axis repaints every plot linked to it (timeline, CPU, measures,
    UI lag). Each whole repaint calls back into Python for every item and axis label, and with a
    lesson's thread computing each callback waits for the GIL: four in one frame held the window
    up to 140 ms (gil_cpu_bound on the thread back end, at each widening of the axis). Spread
    over four frames, each frame stays short; the plots that wait keep their old picture for a
    frame or three (33 ms each), and take no strip repaints meanwhile.
    """

    def __init__(self) -> None:
        self.in_frame = False
        self.spent = False
        self.owed: list[pg.PlotWidget] = []

    def allow(self, plot: pg.PlotWidget) -> bool:
        """True if the plot may be repainted whole now; else it is owed to a later frame."""
        if self.in_frame and self.spent:
            if plot not in self.owed:
                self.owed.append(plot)
            return False
        self.spent = self.in_frame
        if plot in self.owed:
            self.owed.remove(plot)
        return True


_WHOLE = WholeRepaints()


@contextmanager
def frame() -> Iterator[None]:
    """Draw one frame: the oldest plot owed a whole repaint gets it, and at most one in all."""
    _WHOLE.in_frame, _WHOLE.spent = True, False
    try:
        _WHOLE.owed = [plot for plot in _WHOLE.owed if isValid(plot)]  # a closed window's
        if _WHOLE.owed:
            paint_now(_WHOLE.owed[0])
        yield
    finally:
        _WHOLE.in_frame = False


def owed_repaints() -> int:
    """How many plots wait for a whole repaint in a coming frame."""
    return len(_WHOLE.owed)


def paint_now(plot: pg.PlotWidget, x_from: float | None = None, x_to: float | None = None
              ) -> None:
    """Repaint a plot synchronously while this (GUI) thread holds the GIL.

    Left to the event loop, Qt paints each pyqtgraph item by calling back into Python, and every
    callback must win the GIL again: with a CPU-bound lesson thread that is a wait of up to a
    switch interval per item, 100 ms and more per frame. Painting from inside our own slot
    spares the waits between items (not those inside them: PySide lets the GIL go around most
    Qt calls, e.g. QTransform.map took 3 us alone and 63 us beside a thread spinning in Python).
    Within a frame() only one plot is repainted whole (see WholeRepaints).
    Given x_from..x_to (data coordinates), only that vertical strip is repainted: new data arrives
    at the live edge, and rasterising a strip costs a fraction of the whole plot.
    """
    whole = x_from is None or x_to is None
    if plot in _WHOLE.owed and not whole:
        return  # its whole repaint is coming: a strip now would mix two scales
    if whole and not _WHOLE.allow(plot):
        return
    # The scene's own bookkeeping after setData is a queued call; run it here too.
    QCoreApplication.sendPostedEvents(plot.scene(), QEvent.Type.MetaCall)
    viewport = plot.viewport()
    if whole:
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


class RowAxis(pg.AxisItem):
    """An axis whose labels may each have a colour of their own (a thread's, for its row)."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.colours: dict[str, str] = {}  # label -> its colour; the others in the axis's own

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs) -> None:  # noqa: N802, N803
        """Draw as pyqtgraph does, then the coloured labels in their colours."""
        plain = [spec for spec in textSpecs if spec[2] not in self.colours]
        super().drawPicture(p, axisSpec, tickSpecs, plain)
        for rect, flags, text in textSpecs:
            if text in self.colours:
                p.setPen(pg.mkColor(self.colours[text]))
                p.drawText(rect, int(flags), text)


def time_plot(left: pg.AxisItem | None = None) -> pg.PlotWidget:
    """A plot on the run's time axis: pans and zooms in time only, repaints only on demand.

    `left`: an axis of one's own for the rows (a RowAxis), else pyqtgraph's.
    """
    plot = pg.PlotWidget(axisItems={"left": left} if left is not None else None)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=True, y=False)
    plot.hideButtons()
    plot.getAxis("left").setWidth(AXIS_WIDTH)
    plain_axes(plot)
    paint_only_on_demand(plot)
    style_plot(plot)
    return plot
