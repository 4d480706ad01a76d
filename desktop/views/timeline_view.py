"""The timeline: a row per thread and process, bars coloured by what each was doing."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFontMetrics, QKeySequence, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.data import span_query
from desktop.data.rundata import LANE_NAME, RunData
from desktop.style.palette import (
    KIND_COLOURS,
    KIND_NAMES,
    cpu_colours,
    ink,
    kind_colour,
    worker_colour,
)
from desktop.views.bar_layer import MERGE_PX, THIN_FROM, BarLayer, Rects
from desktop.views.captions import Captions
from desktop.views.lane_layer import LaneLayer
from desktop.views.legend import legend_html
from desktop.views.painting import RowAxis, paint_now, time_plot

BAR_HEIGHT = 0.45
# "running" is the background of a stretch of work; what happens inside it (a sleep, a join, a
# lock) is drawn on top. A waiting bar is drawn thinner so that a thread switching fast between
# holding and waiting for a lock shows both colours.
LAYERS = {"run": (0, BAR_HEIGHT), "hold_lock": (2, BAR_HEIGHT), "wait_lock": (3, BAR_HEIGHT / 2)}
OVERLAY = (1, BAR_HEIGHT)
# Under each row's bars, a strip whose height is the thread's CPU share (full = one core).
CPU_TOP, CPU_HEIGHT = BAR_HEIGHT / 2 + 0.02, 0.26
# The "on CPU / GIL" lane's row is filled from its bars' top to its strip's bottom.
LANE_BAND = (-BAR_HEIGHT / 2, CPU_TOP + CPU_HEIGHT)
# Rows of space above the first row, for the captions written above its bars.
CAPTION_ROOM = 0.45
# The x range grows in steps of this factor so the axis does not re-layout on every tick.
GROWTH = 1.5
MIN_RANGE_S = 2.0
# Bars are thinned again when the scale changes by more than this fraction.
RETHIN_SCALE = 0.05
# Bars are made for the view and this many view widths either side of it.
THIN_MARGIN = 0.5
# CPU samples narrower than this many pixels are averaged per row (a 2-minute run has 1,200).
CPU_BIN_PX = 2.0
# The timeline keeps room for 3 to 6 rows' labels (more rows than this may get tight), each
# this many text lines high, plus the time axis.
MIN_ROWS_KEPT, MAX_ROWS_KEPT, ROW_SPACING, AXIS_PX = 3, 6, 1.3, 60
# How near (pixels) the mouse must be to a bar or tick for the hover to name it.
HOVER_PX = 3.0


# The legend's words where a kind's name alone would not say it (the tooltip says all).
LEGEND_WORDS = {"runnable": "runnable: wants GIL/CPU", "parked": "waiting for you"}


def timeline_legend_html() -> str:
    """What the bar colours, the CPU strip and the ticks mean, in the current look."""
    # short names, so the legend stays a line or two at large text; the tooltip says it all
    entries = [(colour, LEGEND_WORDS.get(kind, kind.replace("_", " ")))
               for kind, colour in KIND_COLOURS.items()]
    entries.append((cpu_colours()[0], "on CPU"))
    entries.append(("|".join(worker_colour(order) for order in (2, 3)),
                    f"{LANE_NAME}: who ran"))
    # a box-drawing bar: a plain '|' lets the line break between it and its word
    return legend_html(entries, "&nbsp;&nbsp; <b>\u2502</b>&nbsp;event")


def timeline_legend() -> QLabel:
    """The timeline's legend, with every kind explained in its tooltip."""
    label = QLabel(timeline_legend_html())
    label.setWordWrap(True)
    label.setToolTip("\n".join([f"{kind.replace('_', ' ')}: {name}"
                                 for kind, name in KIND_NAMES.items()]
                                + ["on CPU: the thread's CPU share from the OS, a strip under "
                                   "its row (full = one core); where a lesson watches every "
                                   "millisecond (gil_cpu_bound), each slice it was on a CPU: "
                                   "zoom in to see threads under the GIL take turns",
                                   f"{LANE_NAME} (a lane under the rows, where a lesson "
                                   "watches every millisecond): which thread was on a CPU, "
                                   "in the colour of its row's name, a track each. Threads of "
                                   "one process under the GIL take turns: one colour at a time, "
                                   "the others runnable, waiting for the GIL. Processes run "
                                   "side by side: their tracks are filled at once. Pure-Python "
                                   "work is assumed: C code that lets go of the GIL (sleep, "
                                   "numpy) runs off it. The hover says how finely it looked.",
                                   "| event: a thread started, printed, joined or ended"]))
    return label


def percent(share: float) -> str:
    """A CPU share as a percentage of one core."""
    return f"{share * 100:.0f} % of a core"


class TimelineView(QWidget):
    """Draws RunData's spans as bars per row against seconds from the run's start."""

    # (row, start s, end s, what): the user clicked a bar or a tick.
    span_clicked = Signal(object, float, float, str)
    # The user clicked where there is nothing.
    nothing_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._axis = RowAxis("left")
        self.plot = time_plot(left=self._axis)
        self.plot.invertY(True)
        self.plot.setLabel("bottom", "time since start (s)")  # seconds, like the plots below
        self._bars: dict[str, BarLayer] = {}
        self._cpu = BarLayer(self.plot, cpu_colours()[0], z=-1, outline=False)
        self._lane = LaneLayer(self.plot, (CPU_TOP, CPU_HEIGHT), LANE_BAND)
        # Plain Qt items: Qt paints them without calling back into Python, so a busy GIL does
        # not make every repaint of the live edge wait for them.
        self._tracks: list[QGraphicsRectItem] = []
        self._marks = pg.ScatterPlotItem(symbol="|", size=18, pen=pg.mkPen(ink(), width=2),
                                         brush=pg.mkBrush(ink()))
        self._marks.setZValue(10)  # ticks above every bar
        self.plot.addItem(self._marks)
        self.captions = Captions(self.plot, BAR_HEIGHT / 2)
        self._x_max = MIN_RANGE_S
        self.data: RunData | None = None
        self.following = True
        # the scale and stretch the thinned bars were made for
        self._thinned_pixel_s, self._thinned_range = 1.0, (0.0, 0.0)
        self._build_controls()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QHBoxLayout()
        self.legend = timeline_legend()
        top.addWidget(self.legend, 1)
        top.addWidget(self.follow_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.whole_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        box = self.plot.getViewBox()
        box.sigRangeChangedManually.connect(self.stop_following)
        box.sigXRangeChanged.connect(self._zoomed)
        self.plot.scene().sigMouseMoved.connect(self._hover)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.clear()
        self._keep_room(0)

    def _build_controls(self) -> None:
        self.follow_button = QToolButton()
        self.follow_button.setText("Follow live")
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.follow_button.setShortcut(QKeySequence("End"))
        self.follow_button.setToolTip("Keep the newest moment of the run in view (End). Panning "
                                      "or zooming with the mouse turns this off.")
        self.follow_button.toggled.connect(self._set_following)
        self.whole_button = QToolButton()
        self.whole_button.setText("Whole run")
        self.whole_button.setShortcut(QKeySequence("Home"))
        self.whole_button.setToolTip("Show the run from its start to now (Home)")
        self.whole_button.clicked.connect(self.show_whole)

    def clear(self) -> None:
        """Empty the timeline for a new run."""
        for layer in self._bars.values():
            layer.remove()
        self._bars.clear()
        self._cpu.clear()
        self._lane.clear()
        for track in self._tracks:
            self.plot.removeItem(track)
        self._tracks.clear()
        self._marks.setData([], [])
        self.captions.clear()
        self.data = None
        self._rows_shown = 0
        self._x_max = MIN_RANGE_S
        self.follow_button.setChecked(True)
        self.plot.setXRange(0, self._x_max, padding=0.01)
        self.plot.setYRange(-0.5, 1.5, padding=0)
        self.plot.getAxis("left").setTicks([[]])

    # -- following the live edge ---------------------------------------------------------------
    def stop_following(self, *_: object) -> None:
        """The user panned or zoomed: leave the view where they put it."""
        self.follow_button.setChecked(False)

    def _set_following(self, on: bool) -> None:
        self.following = on
        if on and self.data is not None:
            self._x_max = 0.0
            self._follow(self.data.latest_s)

    def show_whole(self) -> None:
        """Show the run from 0 to its latest moment."""
        if self.data is not None:
            self.fit(max(self.data.latest_s, 0.01))

    def _follow(self, now_s: float) -> None:
        if not self.following or now_s <= self._x_max:
            return
        self._x_max = max(now_s * GROWTH, MIN_RANGE_S)
        self.plot.setXRange(0, self._x_max, padding=0.01)

    def fit(self, end_s: float) -> None:
        """Show the whole run, from 0 to its end."""
        self._x_max = max(end_s * 1.02, 0.01)
        self.plot.setXRange(0, self._x_max, padding=0.01)

    def _zoomed(self, *_: object) -> None:
        """A new x range: thin the bars again for its scale (only kinds that are thinned)."""
        data = self.data
        if data is None:
            return
        self._lay_tracks()
        self.captions.place(data.notes)
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        pixel_s, (lo, hi) = self._pixel_s(), self._thinned_range
        if abs(pixel_s / self._thinned_pixel_s - 1) < RETHIN_SCALE and lo <= x0 and x1 <= hi:
            return  # a pan within the stretch already thinned, at the same scale
        # Qt repaints the plot after this (sigRangeChanged comes after sigXRangeChanged)
        positions = data.display_order()
        for kind, cols in data.spans.items():
            if len(cols) >= THIN_FROM:
                self._draw_kind(kind, data, positions, whole=True)
        if len(data.cpu) >= THIN_FROM:
            self._draw_cpu(data, positions, whole=True)
        if len(data.slices) >= THIN_FROM:
            self._draw_lane(data, positions, whole=True)

    # -- drawing ----------------------------------------------------------------------------------
    def refresh(self, data: RunData, now_s: float) -> None:
        """Draw what changed since the last refresh."""
        self.data = data
        self._follow(max(now_s, data.latest_s))
        if not (data.rows_dirty or data.dirty_kinds or data.marks_dirty or data.cpu_dirty
                or data.slices_dirty):
            data.take_fresh()
            return
        whole = data.rows_dirty
        if whole:
            data.dirty_kinds.update(data.spans)
            data.marks_dirty = data.cpu_dirty = data.slices_dirty = True
            data.rows_dirty = False
        positions = data.display_order()
        for kind in data.dirty_kinds:
            self._draw_kind(kind, data, positions, whole)
        data.dirty_kinds.clear()
        if data.cpu_dirty:
            self._draw_cpu(data, positions, whole)
        if data.slices_dirty:
            self._draw_lane(data, positions, whole)
        if data.marks_dirty and len(positions):
            self._marks.setData(data.marks.starts.copy(), positions[data.marks.rows])
            data.marks_dirty = False
            self.captions.add(data.notes, positions)
        fresh = data.take_fresh()
        # new rows last: a changed y range repaints the plot once, with everything above in it
        if whole and self._set_rows(data):
            return
        if whole or fresh is None:
            paint_now(self.plot)
        else:
            paint_now(self.plot, *fresh)

    def _set_rows(self, data: RunData) -> bool:
        """Label the rows and fit them in view; True if the view changed (and so repainted)."""
        labels = data.row_labels()
        self.plot.getAxis("left").setTicks([labels])
        self._axis.colours = {label: worker_colour(data.row_at(i).order)
                              for i, label in labels[:len(data.rows)]
                              if data.row_at(i).order in data.slots()}
        self._keep_room(len(labels))
        self._rows_shown = len(labels)
        self._lay_tracks()
        before = self.plot.getViewBox().viewRange()[1]
        # room above the first row for the captions of its marks
        self.plot.setYRange(-0.5 - CAPTION_ROOM, max(len(labels), 2) - 0.5, padding=0.02)
        return self.plot.getViewBox().viewRange()[1] != before

    def _lay_tracks(self) -> None:
        """A pale track under each row, the CPU strip's scale (full = one core), across the view.

        Only across the view (and a view's width either side): a rectangle far wider than the
        screen overflows Qt's fixed-point rasteriser when zoomed in, and is drawn as a line.
        """
        while len(self._tracks) < self._rows_shown:
            track = QGraphicsRectItem()
            track.setPen(QPen(Qt.PenStyle.NoPen))
            track.setBrush(QColor(cpu_colours()[1]))
            track.setZValue(-2)
            self.plot.addItem(track)
            self._tracks.append(track)
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        width = x1 - x0
        lane = self.data.lane_position if self.data is not None else None
        for row, track in enumerate(self._tracks):
            top, height = (LANE_BAND[0], LANE_BAND[1] - LANE_BAND[0]) if row == lane else \
                (CPU_TOP, CPU_HEIGHT)
            track.setRect(QRectF(x0 - width, row + top, 3 * width, height))

    def _keep_room(self, rows: int) -> None:
        """Room for each row's label at the current text size (a splitter cannot squeeze them)."""
        row_px = QFontMetrics(QApplication.font()).height() * ROW_SPACING
        least = int(min(max(rows, MIN_ROWS_KEPT), MAX_ROWS_KEPT) * row_px + AXIS_PX)
        if least != self.plot.minimumHeight():  # a change re-lays the window out: only if needed
            self.plot.setMinimumHeight(least)

    def apply_look(self) -> None:
        """Recolour what the theme decides: CPU strips and tracks, ticks, captions."""
        strip, track = cpu_colours()
        self._cpu.set_colour(strip, outline=False)
        self._lane.apply_look()
        for item in self._tracks:
            item.setBrush(QColor(track))
        self._marks.setPen(pg.mkPen(ink(), width=2))
        self._marks.setBrush(pg.mkBrush(ink()))
        self._keep_room(self._rows_shown)
        self.legend.setText(timeline_legend_html())
        if self.data is not None:
            self.captions.recolour(self.data.notes)
        paint_now(self.plot)

    def _pixel_s(self) -> float:
        """Seconds per pixel at the current zoom."""
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        return (x1 - x0) / max(self.plot.getViewBox().width(), 1.0)

    def _in_view(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Entries in the view and some either side (so a short pan needs no new thinning)."""
        return span_query.visible(starts, ends, *self._thin_range())

    def _thin_range(self) -> tuple[float, float]:
        """The view and half a view either side, noted as the stretch thinned for this scale."""
        (x0, x1), _ = self.plot.getViewBox().viewRange()
        margin = (x1 - x0) * THIN_MARGIN
        self._thinned_range = (x0 - margin, x1 + margin)
        self._thinned_pixel_s = self._pixel_s()
        return self._thinned_range

    def _draw_kind(self, kind: str, data: RunData, positions: np.ndarray, whole: bool) -> None:
        cols = data.spans[kind]
        z, height = LAYERS.get(kind, OVERLAY)
        layer = self._bars.get(kind)
        if layer is None:
            # No outline: merged bars of one stretch of work read as one; print ticks separate
            # back-to-back sleeps.
            layer = self._bars[kind] = BarLayer(self.plot, kind_colour(kind), z)

        def rects(first: int, last: int) -> Rects:
            rows, starts, ends = cols.rows[first:last], cols.starts[first:last], \
                cols.ends[first:last]
            if last - first >= THIN_FROM:
                rows, starts, ends = self._thinned(rows, starts, ends)
            return (starts.copy(), ends - starts, positions[rows] - height / 2,
                    np.full(len(starts), height))

        layer.draw(rects, len(cols), whole)

    def _draw_lane(self, data: RunData, positions: np.ndarray, whole: bool) -> None:
        self._lane.draw(data, positions, whole, self._thinned)

    def _thinned(self, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries near the view, those closer than MERGE_PX pixels drawn as one."""
        keep = self._in_view(starts, ends)
        return span_query.merge_close(rows[keep], starts[keep], ends[keep],
                                      self._pixel_s() * MERGE_PX)

    def _draw_cpu(self, data: RunData, positions: np.ndarray, whole: bool) -> None:
        cpu = data.cpu

        def rects(first: int, last: int) -> Rects:
            rows, starts = cpu.rows[first:last], cpu.starts[first:last]
            ends, values = cpu.ends[first:last], cpu.values[first:last]
            if last - first >= THIN_FROM:
                keep = self._in_view(starts, ends)
                rows, starts, ends, values = span_query.bin_samples(
                    rows[keep], starts[keep], ends[keep], values[keep],
                    self._pixel_s() * CPU_BIN_PX)
            heights = np.clip(values, 0.0, 1.0) * CPU_HEIGHT
            on = heights > 0  # no CPU, no bar (an empty one would still draw its outline)
            rows, starts, ends, heights = rows[on], starts[on], ends[on], heights[on]
            return (starts.copy(), ends - starts, positions[rows] + CPU_TOP + CPU_HEIGHT - heights,
                    heights)

        self._cpu.draw(rects, len(cpu), whole)
        data.cpu_dirty = False

    # -- hover and click --------------------------------------------------------------------------
    def _under(self, scene_pos: QPointF) -> tuple[object, float, float, str, str] | None:
        """(row, start, end, what, tooltip) of the bar, tick or CPU sample under a point."""
        data = self.data
        box = self.plot.getViewBox()
        if data is None or not box.sceneBoundingRect().contains(scene_pos):
            return None
        point = box.mapSceneToView(scene_pos)
        position = int(round(point.y()))
        if position == data.lane_position:
            return self._under_lane(point.x(), point.y())
        row = data.row_at(position)
        if row is None:
            return None
        x, slack = point.x(), self._pixel_s() * HOVER_PX
        who = f"<b>{row.name}</b> · pid {row.pid} · thread {row.tid}"
        offset = point.y() - position
        if offset > CPU_TOP - 0.02:
            on = span_query.slice_at(data, row.order, x, slack)
            if on is not None:
                return (row, on.start, on.end, "cpu", f"{who}<br>{on.label}<br>from "
                        f"{on.start:.4f} s for {duration(on.end - on.start)}")
            share = span_query.cpu_at(data, row.order, x)
            if share is None:
                return None
            return (row, x, x, "cpu", f"{who}<br>on CPU: {percent(share)} "
                    f"(OS sample at {x:.2f} s)")
        mark = span_query.mark_at(data, row.order, x, slack)
        if mark is not None:
            at, label = mark
            return row, at, at, label, f"{who}<br>{label}<br>at {at:.4f} s"
        hit = span_query.span_at(data, row.order, x, slack)
        if hit is None:
            return None
        name = KIND_NAMES.get(hit.kind, hit.kind)
        label = f": {hit.label}" if hit.label else ""
        return (row, hit.start, hit.end, name,
                f"{who}<br>{name}{label}<br>from {hit.start:.4f} s for "
                f"{duration(hit.end - hit.start)}")

    def _under_lane(self, x: float, y: float) -> tuple[object, float, float, str, str] | None:
        """The slice of the lane's track under a point: who was on a CPU, and who with it."""
        data = self.data
        assert data is not None
        slack = self._pixel_s() * HOVER_PX
        for order, slot in data.slots().items():
            top, height = self._lane.track(data, slot)
            on = span_query.slice_at(data, order, x, slack) if top <= y <= top + height else None
            if on is not None:
                row = next(r for r in data.rows.values() if r.order == order)
                return (row, on.start, on.end, "cpu",
                        f"<b>{row.name}</b> · pid {row.pid} · thread {row.tid}<br>{on.label}"
                        f"<br>from {on.start:.4f} s for {duration(on.end - on.start)}")
        return None

    def _hover(self, scene_pos: QPointF) -> None:
        found = self._under(scene_pos)
        if found is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), found[4], self.plot)

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        found = self._under(event.scenePos())
        if found is None:
            self.nothing_clicked.emit()
            return
        row, start, end, what, _ = found
        self.span_clicked.emit(row, start, end, what)


def duration(seconds: float) -> str:
    """A duration in the unit that reads best (µs, ms or s)."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.3f} s"
