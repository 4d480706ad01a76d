"""Questions about a run's spans (no Qt): what lies under the mouse, what one pixel can show."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from desktop.data.rundata import RunData

# Kinds drawn on top of "run" win a hover over the stretch of work they sit in.
BACKGROUND_KINDS = ("run",)


class Hit(NamedTuple):
    """A span found under a point of the timeline."""

    kind: str
    start: float
    end: float
    label: str


def visible(starts: np.ndarray, ends: np.ndarray, x_from: float, x_to: float) -> np.ndarray:
    """Indices of the entries (start..end) that overlap x_from..x_to."""
    return np.flatnonzero((ends >= x_from) & (starts <= x_to))


def merge_close(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, gap: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Join each row's spans that are less than `gap` apart into one (gap: one pixel's seconds).

    What the screen can show anyway: two bars closer than a pixel look like one. The hover
    still reports the real spans. Rows are offset so that one running maximum serves them all.
    """
    if len(starts) < 2 or gap <= 0:
        return rows, starts, ends
    r, s, e = by_row_then_start(rows, starts, ends)
    lowest = min(float(s.min()), 0.0)
    stride = float(e.max()) - lowest + 2 * gap + 1.0
    offset = (r - r.min()) * stride
    shifted_ends = e + offset
    reach = np.maximum.accumulate(shifted_ends)
    begins = np.empty(len(s), dtype=bool)
    begins[0] = True
    begins[1:] = (s[1:] + offset[1:]) > reach[:-1] + gap
    first = np.flatnonzero(begins)
    group_end = np.maximum.reduceat(shifted_ends, first) - offset[first]
    return r[first], s[first], group_end


def by_row_then_start(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries ordered by row, then start.

    They come mostly in time order already: a stable sort by row (a radix sort) then keeps
    each row's in order, and the full sort is needed only if some came out of order.
    """
    order = np.argsort(rows, kind="stable")
    r, s = rows[order], starts[order]
    if not np.all((s[1:] >= s[:-1]) | (r[1:] != r[:-1])):
        order = np.lexsort((starts, rows))
        r, s = rows[order], starts[order]
    return r, s, ends[order]


def span_at(data: RunData, row: int, x: float, slack: float) -> Hit | None:
    """The span of a row (stable index) at time x, within `slack` seconds; overlays first."""
    best: Hit | None = None
    for kind, cols in data.spans.items():
        if not len(cols):
            continue
        found = np.flatnonzero((cols.rows == row) & (cols.starts <= x + slack)
                               & (cols.ends >= x - slack))
        if not found.size:
            continue
        # the shortest span there: the most specific thing the worker was doing
        i = int(found[np.argmin(cols.ends[found] - cols.starts[found])])
        hit = Hit(kind, float(cols.starts[i]), float(cols.ends[i]), cols.labels[i])
        if best is None or best.kind in BACKGROUND_KINDS:
            best = hit
    return best


def mark_at(data: RunData, row: int, x: float, slack: float) -> tuple[float, str] | None:
    """The tick (start, print, join...) of a row nearest time x, within `slack` seconds."""
    marks = data.marks
    found = np.flatnonzero((marks.rows == row) & (np.abs(marks.starts - x) <= slack))
    if not found.size:
        return None
    i = int(found[np.argmin(np.abs(marks.starts[found] - x))])
    return float(marks.starts[i]), marks.labels[i]


def slice_at(data: RunData, row: int, x: float, slack: float) -> Hit | None:
    """A row's slice on a CPU (from a CPU lane) at time x, within `slack` seconds."""
    cols = data.slices
    found = np.flatnonzero((cols.rows == row) & (cols.starts <= x + slack)
                           & (cols.ends >= x - slack))
    if not found.size:
        return None
    i = int(found[np.argmin(np.abs((cols.starts[found] + cols.ends[found]) / 2 - x))])
    return Hit("on_cpu", float(cols.starts[i]), float(cols.ends[i]), cols.labels[i])


def cpu_at(data: RunData, row: int, x: float) -> float | None:
    """A row's CPU share (1.0 = one core) in the OS sample that covers time x."""
    cpu = data.cpu
    found = np.flatnonzero((cpu.rows == row) & (cpu.starts <= x) & (cpu.ends >= x))
    return float(cpu.values[found[-1]]) if found.size else None


def bin_samples(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, values: np.ndarray,
                width: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Samples averaged per row in bins `width` seconds wide (time-weighted).

    For a zoom where many samples share a pixel: the mean is what a pixel can honestly show.
    Each row's samples must be in time order (the sampler sends them so).
    """
    if len(starts) < 2 or width <= 0:
        return rows, starts, ends, values
    order = np.argsort(rows, kind="stable")  # radix sort: each row's samples stay in order
    r, s, e, v = rows[order], starts[order], ends[order], values[order]
    bins = np.floor(s / width)
    begins = np.empty(len(s), dtype=bool)
    begins[0] = True
    begins[1:] = (r[1:] != r[:-1]) | (bins[1:] != bins[:-1])
    first = np.flatnonzero(begins)
    durations = np.maximum(e - s, 1e-9)
    mean = np.add.reduceat(v * durations, first) / np.add.reduceat(durations, first)
    return r[first], np.minimum.reduceat(s, first), np.maximum.reduceat(e, first), mean
