"""The "on CPU / GIL" lane: each thread's slices on a CPU, in its colour, in its strip and below.

A lesson that watches the CPU every millisecond (scenarios.engine.cpu_lane) sends each thread's
slices on a CPU. They are drawn twice in the thread's own colour (the colour of its row's label
and of its console lines): full height in the CPU strip under its row, and in a lane under all
rows, a track per thread that ran alongside others. Under the GIL the colour jumps from track to
track, never two at once; two processes fill their tracks side by side.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg

from desktop.data.rundata import RunData
from desktop.style.palette import worker_colour
from desktop.views.bar_layer import THIN_FROM, BarLayer, Rects

# Fewer of a column's entries for the view: (rows, starts, ends) -> (rows, starts, ends).
Thinning = Callable[[np.ndarray, np.ndarray, np.ndarray],
                    tuple[np.ndarray, np.ndarray, np.ndarray]]

# The share of a lane track filled by its bars (the rest is a gap between tracks).
TRACK_FILL = 0.8


class LaneLayer:
    """Slices on a CPU, one bar layer per thread in its colour."""

    def __init__(self, plot: pg.PlotWidget, strip: tuple[float, float],
                 band: tuple[float, float]) -> None:
        """`strip`: (top, height) of a row's CPU strip; `band`: (top, bottom) of the lane."""
        self._plot = plot
        self._strip = strip
        self._band = band
        self._layers: dict[int, BarLayer] = {}  # row -> its slices

    def clear(self) -> None:
        """No slices (a new run)."""
        for layer in self._layers.values():
            layer.remove()
        self._layers.clear()

    def apply_look(self) -> None:
        """Recolour each thread's slices for the current look."""
        for row, layer in self._layers.items():
            layer.set_colour(worker_colour(row))

    def track(self, data: RunData, slot: int) -> tuple[float, float]:
        """(top, height) of a lane track's bars, in rows."""
        top, bottom = self._band
        tracks = max(data.slots().values(), default=0) + 1
        height = (bottom - top) / tracks
        lane = data.lane_position or 0
        return lane + top + slot * height + height * (1 - TRACK_FILL) / 2, height * TRACK_FILL

    def draw(self, data: RunData, positions: np.ndarray, whole: bool, thin: Thinning) -> None:
        """Draw the slices that came since the last draw, or all of them again if `whole`.

        `thin` makes many entries fit the view: (rows, starts, ends) -> the same, fewer.
        """
        cols = data.slices
        slots = data.slots()
        strip_top, strip_height = self._strip
        for row, slot in slots.items():
            lane_top, lane_height = self.track(data, slot)

            def rects(first: int, last: int, row: int = row, lane_top: float = lane_top,
                      lane_height: float = lane_height) -> Rects:
                rows, starts, ends = (cols.rows[first:last], cols.starts[first:last],
                                      cols.ends[first:last])
                mine = rows == row
                rows, starts, ends = rows[mine], starts[mine], ends[mine]
                if last - first >= THIN_FROM:
                    rows, starts, ends = thin(rows, starts, ends)
                n = len(starts)
                return (np.concatenate([starts, starts]), np.tile(ends - starts, 2),
                        np.repeat([positions[row] + strip_top, lane_top], n),
                        np.repeat([strip_height, lane_height], n))

            layer = self._layers.get(row)
            if layer is None:
                layer = self._layers[row] = BarLayer(self._plot, worker_colour(row), z=-0.5)
            layer.draw(rects, len(cols), whole)
        data.slices_dirty = False
