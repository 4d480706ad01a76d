"""Captions on the timeline: a newer caption hides an older one it would cover, on any row."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from desktop.views.captions import Captions


def captions_on(qtbot, height_px: int, rows: int = 2) -> tuple[Captions, pg.PlotWidget]:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(500, height_px)
    plot.show()
    qtbot.waitExposed(plot)
    plot.setXRange(0, 10, padding=0)
    plot.setYRange(-0.5, rows - 0.5, padding=0)
    return Captions(plot, 0.2), plot


def shown(captions: Captions) -> list[bool]:
    return [text.isVisible() for text in captions.texts]


def test_captions_of_rows_closer_than_a_caption_is_tall_do_not_overlap(qtbot) -> None:
    captions, _ = captions_on(qtbot, height_px=40)  # two rows in 40 px: less than a text each
    captions.add([(0, 1.0, "write x: x = 1"), (1, 1.2, "write x: x = 1")], np.arange(2))
    assert shown(captions) == [False, True]


def test_captions_of_rows_far_apart_both_show(qtbot) -> None:
    captions, _ = captions_on(qtbot, height_px=400)
    captions.add([(0, 1.0, "write x: x = 1"), (1, 1.2, "write x: x = 1")], np.arange(2))
    assert shown(captions) == [True, True]


def test_captions_far_apart_in_time_on_one_row_both_show(qtbot) -> None:
    captions, _ = captions_on(qtbot, height_px=200)
    captions.add([(0, 0.5, "read x: x = 0"), (0, 5.0, "write x: x = 1")], np.arange(2))
    assert shown(captions) == [True, True]
    captions.clear()
    assert captions.texts == []
