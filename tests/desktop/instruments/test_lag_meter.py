"""The lag meter measures how late a re-armed single-shot timer fires."""

import time

from desktop.instruments.lag_meter import PROBES_PER_FRAME, LagMeter


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


def test_every_probe_draws_its_part_of_a_frame_in_turn(qtbot):
    meter = LagMeter()
    phases = []
    meter.frame.connect(phases.append)
    meter.start()
    qtbot.waitUntil(lambda: len(phases) >= 2 * PROBES_PER_FRAME, timeout=2000)
    meter.stop()
    assert phases[:PROBES_PER_FRAME] == [1, 2, 0][:PROBES_PER_FRAME]
    assert len(phases) == len(meter.lags)  # one part per probe


def test_rearm_counts_lateness_from_now_not_from_a_busy_handler(qtbot):
    meter = LagMeter()
    meter.start()
    qtbot.wait(30)
    time.sleep(0.2)  # a click's own work, timed on its own
    meter.rearm()
    qtbot.wait(50)
    meter.stop()
    assert meter.stats()["max"] < 150
