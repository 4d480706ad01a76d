"""Event-loop lag of the GUI thread, measured with a re-armed single-shot precise timer."""

from __future__ import annotations

import bisect
import time

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

# 10 ms between probes: fine enough to catch a missed 60 Hz frame, cheap enough to be invisible.
PROBE_INTERVAL_MS = 10


class LagMeter(QObject):
    """Measures how late the event loop serves a timer: fire time minus (arm time + interval)."""

    sampled = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._fire)
        self._armed_at = 0.0
        self.times: list[float] = []  # perf_counter seconds of each probe
        self.lags: list[float] = []  # how late it fired, ms

    def start(self) -> None:
        """Start probing; earlier samples are kept until reset()."""
        self._arm()

    def stop(self) -> None:
        """Stop probing."""
        self._timer.stop()

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
        self.sampled.emit(lag_ms)
        self._arm()

    def stats(self, since: float = 0.0) -> dict[str, float]:
        """p50, p99 and max lag in ms over samples taken after `since`, and their count."""
        first = bisect.bisect_left(self.times, since)
        lags = np.asarray(self.lags[first:], dtype=float)
        if lags.size == 0:
            return {"p50": 0.0, "p99": 0.0, "max": 0.0, "samples": 0}
        return {
            "p50": round(float(np.percentile(lags, 50)), 3),
            "p99": round(float(np.percentile(lags, 99)), 3),
            "max": round(float(lags.max()), 3),
            "samples": int(lags.size),
        }
