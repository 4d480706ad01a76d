"""The window's frame clock: measures event-loop lag and paces redraws with one precise timer."""

from __future__ import annotations

import bisect
import math
import time

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

# 10 ms between probes: fine enough to catch a missed 60 Hz frame, cheap enough to be invisible.
PROBE_INTERVAL_MS = 10
# A frame (drain events, redraw) over three probes, a part at each: about 30 Hz.
PROBES_PER_FRAME = 3


class LagMeter(QObject):
    """Measures how late the event loop serves a timer (fire time minus arm time + interval).

    The same timer paces the window's redraws (`frame`, a part of a frame at each probe, about
    30 frames a second). With a CPU-bound lesson on a thread of this process, every wake-up of
    the GUI thread waits up to a GIL switch interval; one timer for both means one wait per probe
    instead of two when their times meet.
    The next probe is armed before the frame is drawn, so time spent drawing counts as lag.
    """

    sampled = Signal(float)
    frame = Signal(int)  # at every probe: its place in the frame, 0 to PROBES_PER_FRAME - 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._fire)
        self._armed_at = 0.0
        self.times: list[float] = []  # perf_counter seconds of each probe
        self.lags: list[float] = []  # how late it fired, ms
        # numpy imports what percentile needs on its first call: do it now, not at the first
        # readout of a run, while a lesson thread may hold the GIL
        np.percentile(np.zeros(2), (50, 99))

    def start(self) -> None:
        """Start probing; earlier samples are kept until reset()."""
        self._arm()

    def stop(self) -> None:
        """Stop probing."""
        self._timer.stop()

    def rearm(self) -> None:
        """Count the next probe's lateness from now (while probing).

        Called as a run's lesson starts: the Run click's own work just before (emptying and
        repainting the views) is timed on its own, as the window's start cost, not as lag the
        running lesson caused.
        """
        if self.active:
            self._arm()

    def reset(self) -> None:
        """Forget the samples."""
        self.times.clear()
        self.lags.clear()

    @property
    def active(self) -> bool:
        """True while probing."""
        return self._timer.isActive()

    def _arm(self) -> None:
        self._armed_at = time.perf_counter()
        self._timer.start(PROBE_INTERVAL_MS)

    def _fire(self) -> None:
        now = time.perf_counter()
        lag_ms = max(0.0, (now - self._armed_at) * 1000 - PROBE_INTERVAL_MS)
        self.times.append(now)
        self.lags.append(lag_ms)
        self._arm()
        self.sampled.emit(lag_ms)
        self.frame.emit(len(self.lags) % PROBES_PER_FRAME)

    def stats(self, since: float = 0.0, until: float = math.inf) -> dict[str, float]:
        """p50, p99 and max lag in ms, and the sample count, between `since` and `until`."""
        first = bisect.bisect_left(self.times, since)
        last = bisect.bisect_right(self.times, until)
        lags = np.asarray(self.lags[first:last], dtype=float)
        if lags.size == 0:
            return {"p50": 0.0, "p99": 0.0, "max": 0.0, "samples": 0}
        return {
            "p50": round(float(np.percentile(lags, 50)), 3),
            "p99": round(float(np.percentile(lags, 99)), 3),
            "max": round(float(lags.max()), 3),
            "samples": int(lags.size),
        }
