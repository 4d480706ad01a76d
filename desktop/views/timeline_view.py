"""The timeline: a row per thread and process, bars coloured by what each was doing."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.rundata import RunData
from desktop.views.legend import legend_label
from desktop.views.painting import paint_now, time_plot
from desktop.views.palette import KIND_COLOURS, KIND_NAMES, kind_colour

BAR_HEIGHT = 0.6
# "running" is the background of a stretch of work; what happens inside it (a sleep, a join, a
# lock) is drawn on top. A waiting bar is drawn thinner so that a thread switching fast between
# holding and waiting for a lock shows both colours.
LAYERS = {"run": (0, BAR_HEIGHT), "hold_lock": (2, BAR_HEIGHT), "wait_lock": (3, BAR_HEIGHT / 2)}
OVERLAY = (1, BAR_HEIGHT)
# The x range grows in steps of this factor so the axis does not re-layout on every tick.
GROWTH = 1.5
MIN_RANGE_S = 2.0


def timeline_legend() -> QLabel:
    """What the bar colours and ticks mean."""
    entries = [(colour, KIND_NAMES[kind]) for kind, colour in KIND_COLOURS.items()]
    return legend_label(entries, "&nbsp;&nbsp; <b>|</b>&nbsp;event (start, print, join, end)")


class TimelineView(QWidget):
    """Draws RunData's spans as bars per row against seconds from the run's start."""

    def __init__(self) -> None:
        super().__init__()
        self.plot = time_plot()
        self.plot.invertY(True)
        self.plot.setLabel("bottom", "time since start (s)")  # seconds, like the plots below
        self._bars: dict[str, pg.BarGraphItem] = {}
        self._marks = pg.ScatterPlotItem(symbol="|", size=22, pen=pg.mkPen("#000", width=2),
                                         brush=pg.mkBrush("#000"))
        self._marks.setZValue(10)  # ticks above every bar
        self.plot.addItem(self._marks)
        self._notes: list[pg.TextItem] = []
        self._x_max = MIN_RANGE_S
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(timeline_legend())
        layout.addWidget(self.plot, 1)
        self.clear()

    def clear(self) -> None:
        """Empty the timeline for a new run."""
        for item in self._bars.values():
            self.plot.removeItem(item)
        self._bars.clear()
        self._marks.setData([], [])
        for note in self._notes:
            self.plot.removeItem(note)
        self._notes.clear()
        self._x_max = MIN_RANGE_S
        self.plot.setXRange(0, self._x_max, padding=0.01)
        self.plot.setYRange(-0.5, 1.5, padding=0)
        self.plot.getAxis("left").setTicks([[]])

    def refresh(self, data: RunData, now_s: float) -> None:
        """Draw what changed since the last refresh."""
        self._follow(max(now_s, data.latest_s))
        fresh = data.take_fresh()
        if not (data.rows_dirty or data.dirty_kinds or data.marks_dirty):
            return
        whole = data.rows_dirty
        if data.rows_dirty:
            self._set_rows(data)
            data.dirty_kinds.update(data.spans)
            data.marks_dirty = True
            data.rows_dirty = False
        positions = data.display_order()
        for kind in data.dirty_kinds:
            self._draw_kind(kind, data, positions)
        data.dirty_kinds.clear()
        if data.marks_dirty and len(positions):
            rows = np.asarray(data.marks.rows, dtype=int)
            self._marks.setData(np.asarray(data.marks.starts), positions[rows])
            data.marks_dirty = False
            self._caption(data, positions)
        if whole or fresh is None:
            paint_now(self.plot)
        else:
            paint_now(self.plot, *fresh)

    def _caption(self, data: RunData, positions: np.ndarray) -> None:
        """Write the words of notable marks (an exception, "main ended") beside their ticks."""
        for note in data.notes[len(self._notes):]:
            row, at, label = note
            # Early captions read rightwards from their tick, later ones end at it (no clipping).
            anchor = (0, 1) if at < self._x_max / 4 else (1, 1)
            text = pg.TextItem(label, color="#000", anchor=anchor)
            text.setZValue(11)
            self.plot.addItem(text)
            self._notes.append(text)
        for (row, at, _), text in zip(data.notes, self._notes, strict=True):
            text.setPos(at, positions[row] - BAR_HEIGHT / 2)

    def _set_rows(self, data: RunData) -> None:
        labels = data.row_labels()
        self.plot.getAxis("left").setTicks([labels])
        self.plot.setYRange(-0.5, max(len(labels), 2) - 0.5, padding=0.02)

    def _draw_kind(self, kind: str, data: RunData, positions: np.ndarray) -> None:
        cols = data.spans[kind]
        starts = np.asarray(cols.starts)
        widths = np.asarray(cols.ends) - starts
        y = positions[np.asarray(cols.rows, dtype=int)]
        item = self._bars.get(kind)
        if item is None:
            colour = kind_colour(kind)
            # No outline: merged bars of one stretch of work read as one; print ticks separate
            # back-to-back sleeps.
            z, height = LAYERS.get(kind, OVERLAY)
            item = pg.BarGraphItem(x0=starts, y=y, width=widths, height=height,
                                   brush=colour, pen=pg.mkPen(colour, width=1))
            item.setZValue(z)
            self._bars[kind] = item
            self.plot.addItem(item)
        else:
            item.setOpts(x0=starts, y=y, width=widths)

    def _follow(self, now_s: float) -> bool:
        if now_s <= self._x_max:
            return False
        self._x_max = max(now_s * GROWTH, MIN_RANGE_S)
        self.plot.setXRange(0, self._x_max, padding=0.01)
        return True

    def fit(self, end_s: float) -> None:
        """Show the whole run, from 0 to its end."""
        self._x_max = max(end_s * 1.02, 0.01)
        self.plot.setXRange(0, self._x_max, padding=0.01)
