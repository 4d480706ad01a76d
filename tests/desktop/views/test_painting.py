"""Painting plots from the frame: at most one whole repaint per frame, the rest owed in turn."""

from __future__ import annotations

import pytest

from desktop.style.plot_style import configure_plots
from desktop.views import painting
from desktop.views.painting import frame, owed_repaints, paint_now, time_plot


@pytest.fixture
def plots(qtbot, monkeypatch):
    """Three shown plots; each repaint is noted in `painted`: 'whole 1', 'strip 0'..."""
    configure_plots()
    painted: list[str] = []
    shown = []
    for index in range(3):
        plot = time_plot()
        qtbot.addWidget(plot)
        plot.resize(300, 150)
        plot.show()
        qtbot.waitExposed(plot)
        viewport = plot.viewport()
        monkeypatch.setattr(viewport, "repaint", lambda *area, i=index: painted.append(
            f"{'strip' if area else 'whole'} {i}"))
        shown.append(plot)
    monkeypatch.setattr(painting, "_WHOLE", painting.WholeRepaints())
    return shown, painted


def test_outside_a_frame_every_whole_repaint_happens_at_once(plots) -> None:
    shown, painted = plots
    for plot in shown:
        paint_now(plot)
    assert painted == ["whole 0", "whole 1", "whole 2"]
    assert owed_repaints() == 0


def test_in_a_frame_one_plot_is_repainted_whole_and_the_others_in_later_frames(plots) -> None:
    shown, painted = plots
    with frame():
        for plot in shown:  # e.g. the shared time axis widened: every linked plot changed
            paint_now(plot)
    assert painted == ["whole 0"]
    assert owed_repaints() == 2
    with frame():
        paint_now(shown[2], 0.0, 1.0)  # a strip of an owed plot waits for its whole repaint
        paint_now(shown[0], 0.0, 1.0)  # a plot painted whole already takes strips
    assert painted == ["whole 0", "whole 1", "strip 0"]
    with frame():
        pass
    assert painted == ["whole 0", "whole 1", "strip 0", "whole 2"]
    assert owed_repaints() == 0
