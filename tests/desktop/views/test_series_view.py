"""The measures and cores plots: a line per metric, and a y range that follows growing values."""

from __future__ import annotations

from itertools import pairwise

from desktop.data.rundata import RunData
from desktop.style.plot_style import configure_plots
from desktop.views import painting
from desktop.views.series_view import grown_range, measures_view
from scenarios.engine.events import Metric

MS = 1_000_000


def test_a_grown_range_holds_the_values_with_room_on_the_side_outgrown() -> None:
    bottom, top = grown_range(0.0, 100.0, 0.0, 50.0)
    assert bottom < 0.0 < 100.0 < top
    assert top >= 150.0  # half the span again above: the counter has room to grow
    assert bottom > -10.0  # only a margin below, where nothing outgrew the range


def test_a_flat_series_still_gets_a_margin() -> None:
    bottom, top = grown_range(5.0, 5.0, 0.0, 1.0)
    assert bottom < 5.0 < top


def test_a_growing_counter_rescales_the_axis_a_few_times_not_every_frame(qtbot) -> None:
    view, data = show_counter(qtbot, [])
    ranges = []
    for frame in range(1, 61):  # a counter growing steadily for 60 frames
        data.add([Metric("x", frame * 30 * MS, frame * 1000.0)])
        view.refresh(data)
        ranges.append(tuple(view.plot.getViewBox().viewRange()[1]))
    low, high = ranges[-1]
    assert low <= 1000.0 and high >= 60_000.0  # every value in view
    rescales = sum(1 for before, after in pairwise(ranges) if before != after)
    assert rescales <= 12, f"the y range changed {rescales} times in 60 frames"


def show_counter(qtbot, values: list[float]):
    """A shown measures view with a counter through `values`, one every 30 ms, and its data."""
    configure_plots()
    view = measures_view()
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.show()
    data = RunData(0)
    data.add([Metric("x", (k + 1) * 30 * MS, value) for k, value in enumerate(values)])
    view.refresh(data)
    return view, data


def test_the_next_run_gets_a_range_of_its_own_after_clear(qtbot) -> None:
    """A run to 20,000 then a run to 2: the second is drawn on its own scale, not flat."""
    view, _ = show_counter(qtbot, [0.0, 10_000.0, 20_000.0])
    assert view.plot.getViewBox().viewRange()[1][1] >= 20_000.0
    view.clear()
    data = RunData(0)
    data.add([Metric("x", 30 * MS, 0.0), Metric("x", 60 * MS, 2.0)])
    view.refresh(data)
    low, high = view.plot.getViewBox().viewRange()[1]
    assert low <= 0.0 and 2.0 <= high < 10.0


def test_a_range_change_repaints_the_curve_with_the_new_range_points(qtbot, monkeypatch) -> None:
    """Zoomed in, then the whole run: the repaint already has every point, not the slice."""
    view, _ = show_counter(qtbot, [float(k) for k in range(100)])
    curve = next(item for item in view.plot.listDataItems())
    view.plot.setXRange(0.5, 0.8, padding=0)
    painted: list[float] = []

    def spy(plot, *strip: float) -> None:
        if plot is view.plot and not strip:
            painted.append(float(curve.curve.xData.max()))

    monkeypatch.setattr(painting, "paint_now", spy)
    view.plot.setXRange(0.0, 3.0, padding=0)
    assert painted and painted[0] >= 2.9
