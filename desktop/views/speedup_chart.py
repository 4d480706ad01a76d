"""Speedup against workers over the run history: measured, mean, Amdahl fit and the ideal line."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.data.analysis import Point, amdahl_curve, amdahl_fit, ideal_speedup
from desktop.style import look
from desktop.style.palette import CAVEAT, LINE_CONTRAST, readable
from desktop.style.plot_style import pen
from desktop.views.run_chart import RunChart
from desktop.views.series_view import COLOURS

HINT = ("Run the lesson with different worker counts (1, 2, the number of cores, twice that) "
        "to see its speedup against workers here, with the ideal line and an Amdahl's-law fit.")
IDEAL_COLOUR = "#888888"
# Headroom above the highest point or line, so nothing touches the top edge.
TOP_MARGIN = 1.12
# Room below zero for the 0 tick's label: pyqtgraph drops a label that pokes out of the axis
# (with a grid, even a half-out one), and at 250 px high half a label is about 6 % of the range.
BOTTOM_MARGIN = 0.07
# Integer ticks on the workers axis stay about this far apart at the smallest chart size.
MAX_X_TICKS = 12
POINT_SIZE = 7


def percent(f: float) -> str:
    """A serial fraction as a short percentage: '8 %', '0.4 %', '97 %'."""
    pct = 100 * f
    text = f"{pct:.1f}" if pct < 10 else f"{pct:.0f}"
    return text.removesuffix(".0") + " %"


def swatch(colour: str, glyph: str) -> str:
    """A coloured legend sample (a dot, a line, a dashed line), as the plot draws it."""
    return f'<span style="color:{readable(colour, LINE_CONTRAST)}"><b>{glyph}</b></span>'


def entry(html_text: str) -> str:
    """A legend entry that wraps as a whole, never inside itself (spaces in tags are kept)."""
    return re.sub(r" (?![^<]*>)", "&nbsp;", html_text)


def caveat_note(caveats: Sequence[tuple[int, str]]) -> str:
    """Under the legend, in amber: which runs' speedups need a word, and the latest one's."""
    if not caveats:
        return ""
    number, why = caveats[-1]
    if len(caveats) == 1:
        said = f"Run #{number} is not at face value: "
    else:
        numbers = ", ".join(f"#{n}" for n, _ in caveats)
        said = f"Runs {numbers} are not at face value. #{number}: "
    return f"<br><span style='color:{readable(CAVEAT)}'>⚠ {said}{html.escape(why)}</span>"


class SpeedupChart(RunChart):
    """Speedup (× serial) against workers for each series of a lesson's runs, against the ideal."""

    def __init__(self) -> None:
        super().__init__(HINT, "workers", "speedup (×)")
        self.fits: dict[str, float | None] = {}  # the fitted serial fraction of each series

    def clear(self) -> None:
        """Remove everything drawn and show the hint."""
        super().clear()
        self.fits.clear()

    def show_points(self, series: Mapping[str, Sequence[Point]], cores: int,
                    caveats: Sequence[tuple[int, str]] = ()) -> None:
        """Draw each series' (workers, speedup) points, their mean, the Amdahl fit and the ideal.

        `caveats` are the runs whose speedup cannot be taken at face value (number, why): the
        latest one's words go under the legend, so a point above the ideal is never unexplained.
        """
        self.clear()
        self._redraw = partial(self.show_points, series, cores, caveats)
        series = {name: list(points) for name, points in series.items() if points}
        if not series:
            return
        cores = max(cores, 1)
        top_n = max(2, max(n for points in series.values() for n, _ in points))
        ns = np.arange(1, top_n + 1)
        ideal = ideal_speedup(ns, cores)
        ideal_pen = pen(IDEAL_COLOUR)
        ideal_pen.setDashPattern([1, 3])  # dots, unlike the dashes of the fits
        self.plot.plot(ns, ideal, pen=ideal_pen)
        top = float(ideal.max())
        scale = look.current().scale
        entries = []
        for i, (name, points) in enumerate(series.items()):
            colour = COLOURS[i % len(COLOURS)]
            workers = np.array([n for n, _ in points], dtype=float)
            speedups = np.array([s for _, s in points], dtype=float)
            top = max(top, float(speedups.max()))
            counts = np.unique(workers)
            means = np.array([speedups[workers == n].mean() for n in counts])
            self.plot.plot(counts, means, pen=pen(colour, 1.5))
            f = amdahl_fit(points, cores)
            self.fits[name] = f
            if f is not None:
                self.plot.plot(ns, amdahl_curve(f, cores, ns),
                               pen=pen(colour, 1.5, Qt.PenStyle.DashLine))
                fit_text = f"{swatch(colour, '╌╌')} Amdahl fit, serial {percent(f)}"
            elif cores < 2:
                fit_text = "(one core: no Amdahl fit)"
            else:
                fit_text = "(Amdahl fit: run with 2+ workers)"
            self.plot.addItem(pg.ScatterPlotItem(workers, speedups, size=POINT_SIZE * scale,
                                                 brush=pg.mkBrush(readable(colour, LINE_CONTRAST)),
                                                 pen=pg.mkPen(look.current().background)))
            entries.append(f"{swatch(colour, '●━')} <b>{name}</b>: {fit_text}")
        entries.append(f"{swatch(IDEAL_COLOUR, '┈┈')} ideal = workers, up to "
                       f"{cores} core{'s' if cores != 1 else ''}")
        self.legend.setText(" &nbsp; &nbsp;".join(entry(e) for e in entries)
                            + caveat_note(caveats))
        self._set_ranges(top_n, top)
        self.show_chart()

    def _set_ranges(self, top_n: int, top: float) -> None:
        """Fixed ranges from the data, with integer worker ticks."""
        self.plot.setXRange(0.5, top_n + 0.5, padding=0)
        self.plot.setYRange(-top * BOTTOM_MARGIN, top * TOP_MARGIN, padding=0)
        step = -(-top_n // MAX_X_TICKS)  # ceil
        ticks = [(n, str(n)) for n in range(1, top_n + 1) if (n - 1) % step == 0]
        self.plot.getAxis("bottom").setTicks([ticks, []])
