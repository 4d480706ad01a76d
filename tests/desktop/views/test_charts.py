"""The comparison charts: speedup against workers (with the Amdahl fit) and race totals per run."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QLabel

from desktop.data.analysis import RacePoint
from desktop.style.plot_style import configure_plots
from desktop.views.race_chart import RaceChart
from desktop.views.speedup_chart import SpeedupChart
from tests.support import plain_text

# The smallest size the charts are laid out at (a 1366x768 screen, beside the other views).
SMALL = (460, 260)


def amdahl(f: float, n: int, cores: int) -> float:
    return 1 / (f + (1 - f) / min(n, cores))


def shown(qtbot, chart_class):
    """A chart of this class, shown at the small size it has in the window."""
    configure_plots()
    chart = chart_class()
    qtbot.addWidget(chart)
    chart.resize(*SMALL)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


@pytest.fixture
def speedup_chart(qtbot) -> SpeedupChart:
    return shown(qtbot, SpeedupChart)


@pytest.fixture
def race_chart(qtbot) -> RaceChart:
    return shown(qtbot, RaceChart)


def plain(label: QLabel) -> str:
    """A rich-text label as the reader sees it."""
    return plain_text(label.text())


def items(chart, kind: type) -> list:
    return [item for item in chart.plot.getPlotItem().items if isinstance(item, kind)]


def test_the_speedup_chart_starts_with_a_hint(speedup_chart: SpeedupChart) -> None:
    assert speedup_chart.is_empty
    assert speedup_chart.hint.isVisible()
    assert "different worker counts" in speedup_chart.hint.text()


def test_the_speedup_chart_draws_points_means_fits_and_the_ideal(
        speedup_chart: SpeedupChart) -> None:
    series = {
        "threads": [(1, 1.0), (2, 0.98), (4, 1.01)],
        "processes": [(n, amdahl(0.08, n, 8)) for n in (1, 2, 4, 8)] + [(2, 1.8)],
    }
    speedup_chart.show_points(series, cores=8)
    assert not speedup_chart.is_empty and speedup_chart.plot.isVisible()
    assert len(items(speedup_chart, pg.ScatterPlotItem)) == 2
    # the ideal line, then per series a line through the means and a fitted curve
    assert len(items(speedup_chart, pg.PlotDataItem)) == 1 + 2 * 2
    assert speedup_chart.fits["threads"] == pytest.approx(1.0, abs=0.05)
    assert 0.05 < speedup_chart.fits["processes"] < 0.1
    legend = plain(speedup_chart.legend)
    assert "processes" in legend and "threads" in legend
    assert f"serial {speedup_chart.fits['processes'] * 100:.1f} %" in legend
    assert "up to 8 cores" in legend


def test_the_speedup_chart_keeps_every_point_in_view(speedup_chart: SpeedupChart) -> None:
    speedup_chart.show_points({"Pool.map": [(1, 1.0), (2, 1.9), (16, 7.4)]}, cores=8)
    (x0, x1), (y0, y1) = speedup_chart.plot.getViewBox().viewRange()
    assert x0 < 1 and x1 > 16
    assert y0 <= 0 and y1 > 8  # the ideal reaches 8


def test_the_speedup_chart_says_when_it_cannot_fit(speedup_chart: SpeedupChart) -> None:
    speedup_chart.show_points({"Pool.map": [(1, 0.97)]}, cores=8)
    assert speedup_chart.fits == {"Pool.map": None}
    assert "run with 2+ workers" in plain(speedup_chart.legend)
    assert len(items(speedup_chart, pg.PlotDataItem)) == 1 + 1  # ideal and mean, no fit


def test_a_speedup_above_the_ideal_is_explained_under_the_legend(
        speedup_chart: SpeedupChart) -> None:
    why = "the serial loop had only 62% of a core"
    speedup_chart.show_points({"Pool.map": [(2, 1.9), (2, 2.66)]}, cores=2,
                              caveats=[(2, why)])
    legend = plain(speedup_chart.legend)
    assert f"Run #2 is not at face value: {why}" in legend
    speedup_chart.show_points({"Pool.map": [(2, 2.5), (2, 2.66)]}, cores=2,
                              caveats=[(1, "first"), (2, why)])
    assert f"Runs #1, #2 are not at face value. #2: {why}" in plain(speedup_chart.legend)
    speedup_chart.show_points({"Pool.map": [(2, 1.9)]}, cores=2)
    assert "face value" not in plain(speedup_chart.legend)


def test_clearing_the_speedup_chart_shows_the_hint_again(speedup_chart: SpeedupChart) -> None:
    speedup_chart.show_points({"Pool.map": [(1, 1.0), (2, 1.9)]}, cores=2)
    speedup_chart.clear()
    assert speedup_chart.is_empty and speedup_chart.fits == {}
    assert speedup_chart.plot.listDataItems() == []
    speedup_chart.show_points({"Pool.map": []}, cores=2)
    assert speedup_chart.is_empty


def test_the_race_chart_starts_with_a_hint(race_chart: RaceChart) -> None:
    assert race_chart.is_empty and race_chart.hint.isVisible()
    assert "Run the lesson" in race_chart.hint.text()


def test_the_race_chart_draws_a_bar_pair_per_run_and_the_updates_lost(
        race_chart: RaceChart) -> None:
    race_chart.show_points([RacePoint(2, 20000, 13402, 6598), RacePoint(3, 20000, 20000, 0),
                            RacePoint(6, 2000, 2000, 4), (9, 20000, 19990)])
    assert not race_chart.is_empty
    expected, actual = items(race_chart, pg.BarGraphItem)
    assert list(expected.opts["height"]) == [20000, 20000, 2000, 20000]
    assert list(actual.opts["height"]) == [13402, 20000, 2000, 19990]
    # Runs 2, 6 (a right balance with lost updates) and 9 (lost = expected - actual).
    assert [label.toPlainText() for label in race_chart.bar_labels] == [
        "6,598 lost", "4 lost", "10 lost"]
    ticks = race_chart.plot.getAxis("bottom")._tickLevels[0]
    assert [text for _, text in ticks] == ["#2", "#3", "#6", "#9"]
    legend = plain(race_chart.legend)
    assert "expected" in legend and "actual" in legend
    (_, _), (y0, y1) = race_chart.plot.getViewBox().viewRange()
    assert y0 <= 0 and y1 > 20000


def test_runs_of_far_apart_sizes_are_drawn_as_shares_of_their_expected_total(
        race_chart: RaceChart) -> None:
    """A step run of 4 beside a run of 20,000: each bar pair on a 0-100 % scale, both seen."""
    race_chart.show_points([RacePoint(1, 20000, 10000, 10000), RacePoint(2, 4, 3, 1)])
    expected, actual = items(race_chart, pg.BarGraphItem)
    assert list(expected.opts["height"]) == [100, 100]
    assert list(actual.opts["height"]) == [50, 75]
    assert [label.toPlainText() for label in race_chart.bar_labels] == ["10,000 lost", "1 lost"]
    assert "% of its own expected" in plain(race_chart.legend)
    assert race_chart.plot.getAxis("left").labelText == "total (% of expected)"
    race_chart.show_points([RacePoint(1, 20000, 10000, 10000)])  # one scale again
    assert race_chart.plot.getAxis("left").labelText == "total"


def test_the_race_chart_shows_the_newest_runs_when_there_are_many(race_chart: RaceChart) -> None:
    race_chart.show_points([RacePoint(n, 200, 198, 2) for n in range(1, 31)])
    expected, _ = items(race_chart, pg.BarGraphItem)
    assert len(expected.opts["height"]) == 20
    assert "last 20 runs" in plain(race_chart.legend)
    assert race_chart.bar_labels[0].toPlainText() == "2"  # no room for the word


def test_clearing_the_race_chart_shows_the_hint_again(race_chart: RaceChart) -> None:
    race_chart.show_points([RacePoint(1, 10, 8, 2)])
    race_chart.clear()
    assert race_chart.is_empty and race_chart.bar_labels == []
    assert items(race_chart, pg.BarGraphItem) == []
    race_chart.show_points([])
    assert race_chart.is_empty
