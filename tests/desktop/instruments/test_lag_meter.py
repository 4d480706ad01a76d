"""The lag meter measures how late a re-armed single-shot timer fires."""

import time

from desktop.instruments.lag_meter import LagMeter


def test_lag_meter_sees_a_blocked_event_loop(qtbot):
    meter = LagMeter()
    meter.start()
    qtbot.wait(100)
    time.sleep(0.2)  # block the event loop on purpose: the freeze is what is measured
    qtbot.wait(50)
    meter.stop()
    stats = meter.stats()
    assert stats["samples"] >= 3
    assert stats["max"] >= 150


def test_stats_of_no_samples_are_zero(qtbot):
    assert LagMeter().stats()["samples"] == 0
