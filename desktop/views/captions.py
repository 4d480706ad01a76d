"""The words of notable marks, written above their ticks on the timeline, never over each other."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.style.palette import LAB_COLOUR, ink, readable
from scenarios.engine.events import CHANGE_ARROW

# Captions of ticks beyond this fraction of the view end at their tick instead of starting there.
CAPTION_TURN = 0.6
# Captions closer than this (in pixels) overlap: the older one is hidden.
CAPTION_GAP_PX = 6

Note = tuple[int, float, str]  # (row, time s, words), as RunData.notes holds them


def caption_colour(changed: bool) -> str:
    """A caption's colour: the lab's for a parameter's change, ink for any other."""
    return readable(LAB_COLOUR) if changed else ink()


class Captions:
    """A text per notable mark, above its row; a dashed line across the rows at a live change.

    Where two captions would cover each other (on one row, or on rows closer than a caption is
    tall), the older one is hidden: the newer one says more.
    """

    def __init__(self, plot: pg.PlotWidget, above: float) -> None:
        """`above`: how far above a row's centre (in rows) its captions stand."""
        self.plot = plot
        self.above = above
        self.texts: list[pg.TextItem] = []
        self._sizes: dict[int, tuple[float, float]] = {}  # caption -> (width, height) in pixels
        self._shown: dict[int, bool] = {}  # caption -> shown (False: a newer one covers it)
        self._changes: list[pg.InfiniteLine] = []  # where a live parameter changed

    def clear(self) -> None:
        """No captions."""
        for item in self.texts + self._changes:
            self.plot.removeItem(item)
        self.texts.clear()
        self._changes.clear()
        self._sizes.clear()
        self._shown.clear()

    def add(self, notes: Sequence[Note], positions: np.ndarray) -> None:
        """Write the notes not written yet, put every caption at its row's place, then lay out."""
        for _, at, label in notes[len(self.texts):]:
            changed = CHANGE_ARROW in label
            text = pg.TextItem(label, color=caption_colour(changed))
            text.setZValue(11)
            self.plot.addItem(text)
            self.texts.append(text)
            if changed:  # a change concerns every row: a line across them all
                line = pg.InfiniteLine(at, angle=90, pen=pg.mkPen(LAB_COLOUR, width=1.5,
                                                                  style=Qt.PenStyle.DashLine))
                self.plot.addItem(line)
                self._changes.append(line)
        for (row, at, _), text in zip(notes, self.texts, strict=True):
            text.setPos(at, positions[row] - self.above)
        self.place(notes)

    @property
    def change_lines(self) -> list[pg.InfiniteLine]:
        """The dashed lines across the rows, one where each live change was made."""
        return list(self._changes)

    def recolour(self, notes: Sequence[Note]) -> None:
        """Colour the captions for the current look."""
        for (_, _, label), text in zip(notes, self.texts, strict=False):
            text.setColor(caption_colour(CHANGE_ARROW in label))

    def place(self, notes: Sequence[Note]) -> None:
        """Captions read rightwards from their tick, or end at it near the right edge."""
        box = self.plot.getViewBox()
        (x0, x1), (y0, y1) = box.viewRange()
        per_px = (x1 - x0) / max(box.width(), 1.0)
        rows_per_px = (y1 - y0) / max(box.height(), 1.0)
        # the newest caption at each height (a row's top): (its text, left, right) in seconds
        newest: dict[float, tuple[pg.TextItem, float, float]] = {}
        # notes that arrived since the last refresh have no caption yet
        for text in self.texts:
            width, height = self._size(text)
            at, top = text.pos().x(), text.pos().y()
            turned = at >= x0 + (x1 - x0) * CAPTION_TURN
            anchor = pg.Point(1, 1) if turned else pg.Point(0, 1)
            if text.anchor != anchor:  # re-anchoring re-lays the text out: only on a change
                text.setAnchor(anchor)
            left = at - width * per_px if turned else at
            right = left + (width + CAPTION_GAP_PX) * per_px
            for other_top, (other, other_left, other_right) in newest.items():
                if abs(other_top - top) < height * rows_per_px and left < other_right and \
                        other_left < right:
                    self._show(other, False)  # covered: the newer one says more
            self._show(text, True)
            newest[top] = (text, left, right)

    def _size(self, text: pg.TextItem) -> tuple[float, float]:
        size = self._sizes.get(id(text))
        if size is None:
            rect = text.boundingRect()
            size = self._sizes[id(text)] = (rect.width(), rect.height())
        return size

    def _show(self, text: pg.TextItem, shown: bool) -> None:
        """Show or hide a caption, touching Qt only on a change."""
        if self._shown.get(id(text), True) != shown:
            self._shown[id(text)] = shown
            text.setVisible(shown)
