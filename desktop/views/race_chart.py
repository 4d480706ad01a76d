"""Expected against actual totals of each run of a race lesson, with the updates lost."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import pyqtgraph as pg

from desktop.data.analysis import RacePoint
from desktop.style.palette import LINE_CONTRAST, readable
from desktop.style.plot_style import pen
from desktop.views.run_chart import RunChart
from desktop.views.speedup_chart import BOTTOM_MARGIN, entry, swatch

HINT = ("Run the lesson a few times (with and without the lock, with different race windows) "
        "to compare here what each run's total should be with what it is.")
EXPECTED_FILL, EXPECTED_EDGE = "#DCE6F0", "#4A6A8A"
ACTUAL_COLOUR = "#0072B2"  # blue, as the first series colour
LOST_COLOUR = "#C62828"  # the result card's 'bad' red
# Past this many runs the bars get too thin to read at the chart's smallest size: the newest only.
MAX_RUNS = 20
# Past this many runs a lost count is written without the word 'lost', so labels do not collide.
WORDY_RUNS = 8
MAX_X_TICKS = 12
BAR = 0.38  # each bar's width; a pair fills 0.76 of a run's slot
# Room above the tallest bar for its lost-count label.
TOP_MARGIN = 1.2
# Runs whose expected totals differ more than this many times are drawn each as a share of its
# own expected total: on one scale a run of 4 beside one of 20,000 is no bar at all.
SHARE_RATIO = 20
Y_LABEL, SHARE_Y_LABEL = "total", "total (% of expected)"


def as_shares(runs: Sequence[RacePoint]) -> bool:
    """True if the runs' expected totals are too far apart to share one scale."""
    sizes = [abs(r.expected) for r in runs if r.expected]
    return bool(sizes) and max(sizes) > SHARE_RATIO * min(sizes)


def heights(runs: Sequence[RacePoint], shares: bool) -> tuple[np.ndarray, np.ndarray]:
    """(expected, actual) bar heights: the totals, or each as a percentage of its expected."""
    expected = np.array([r.expected for r in runs], dtype=float)
    actual = np.array([r.actual for r in runs], dtype=float)
    if shares:
        whole = np.where(expected == 0, 1.0, np.abs(expected))
        return expected / whole * 100, actual / whole * 100
    return expected, actual


def count_text(n: float, wordy: bool) -> str:
    """A lost count: '1,234 lost', or compact ('12k') where space is short."""
    n = round(n)
    text = f"{n / 1000:.0f}k" if abs(n) >= 10_000 and not wordy else f"{n:,}"
    return f"{text} lost" if wordy else text


class RaceChart(RunChart):
    """A bar pair per run: the total it should reach (outlined) and the one it reached (filled)."""

    def __init__(self) -> None:
        super().__init__(HINT, "run", Y_LABEL)

    def show_points(self, points: Sequence[RacePoint | tuple[int, float, float]]) -> None:
        """Draw (run, expected, actual[, lost]) for each run; lost defaults to expected - actual."""
        self.clear()
        self._redraw = partial(self.show_points, points)
        runs = [p if len(p) == 4 else RacePoint(p[0], p[1], p[2], abs(p[1] - p[2]))
                for p in points]
        hidden = max(0, len(runs) - MAX_RUNS)
        runs = runs[hidden:]
        if not runs:
            return
        xs = np.arange(len(runs), dtype=float)
        shares = as_shares(runs)
        expected, actual = heights(runs, shares)
        self.plot.setLabel("left", SHARE_Y_LABEL if shares else Y_LABEL)
        self.plot.addItem(pg.BarGraphItem(x=xs - BAR / 2, height=expected, width=BAR,
                                          brush=EXPECTED_FILL, pen=pen(EXPECTED_EDGE)))
        self.plot.addItem(pg.BarGraphItem(x=xs + BAR / 2, height=actual, width=BAR,
                                          brush=readable(ACTUAL_COLOUR, LINE_CONTRAST),
                                          pen=pen(ACTUAL_COLOUR)))
        wordy = len(runs) <= WORDY_RUNS
        for x, run, top in zip(xs, runs, np.maximum(expected, actual), strict=True):
            if round(run.lost) == 0:
                continue
            label = pg.TextItem(count_text(run.lost, wordy), color=readable(LOST_COLOUR),
                                anchor=(0.5, 1.0))
            label.setPos(x, max(float(top), 0.0))
            self.plot.addItem(label)
            self.bar_labels.append(label)
        legend = [f"{swatch(EXPECTED_EDGE, '□')} expected", f"{swatch(ACTUAL_COLOUR, '■')} actual",
                  f'<span style="color:{readable(LOST_COLOUR)}">n lost</span>: updates lost in '
                  'that run']
        if shares:
            legend.append("each run as a % of its own expected total (their sizes differ too "
                          "much for one scale)")
        if hidden:
            legend.append(f"(last {MAX_RUNS} runs)")
        self.legend.setText(" &nbsp; &nbsp;".join(entry(e) for e in legend))
        self._set_ranges(runs, float(min(expected.min(), actual.min(), 0.0)),
                         float(max(expected.max(), actual.max())))
        self.show_chart()

    def _set_ranges(self, runs: list[RacePoint], low: float, high: float) -> None:
        """Fixed ranges from the data; one tick per run, labelled with its number ('#3')."""
        self.plot.setXRange(-0.6, len(runs) - 0.4, padding=0)
        span = (high - low) or 1.0
        self.plot.setYRange(low - span * BOTTOM_MARGIN, high + span * (TOP_MARGIN - 1),
                            padding=0)
        step = -(-len(runs) // MAX_X_TICKS)  # ceil
        ticks = [(i, f"#{r.run}") for i, r in enumerate(runs) if i % step == 0]
        self.plot.getAxis("bottom").setTicks([ticks, []])
