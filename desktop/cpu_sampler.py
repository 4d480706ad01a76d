"""Per-core CPU use from psutil, sampled off the GUI thread into a run's event collector."""

from __future__ import annotations

import threading

import psutil

from scenarios.events import Metric, now_ns
from scenarios.sink import Collector

# psutil's non-blocking cpu_percent needs samples at least 0.1 s apart to mean anything.
INTERVAL_S = 0.1


class CpuSampler:
    """A thread that puts `coreN` metrics (percent busy per core) into a collector at 10 Hz."""

    def __init__(self, collector: Collector, interval: float = INTERVAL_S) -> None:
        self._collector = collector
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cpu-sampler", daemon=True)

    def start(self) -> None:
        """Begin sampling (the first reading primes psutil and is not kept)."""
        psutil.cpu_percent(percpu=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def _sample(self) -> None:
        stamp = now_ns()
        values = psutil.cpu_percent(percpu=True)
        self._collector.put_batch(
            [Metric(f"core{i}", stamp, value) for i, value in enumerate(values)]
        )

    def stop(self) -> None:
        """End sampling with one last sample (so even a short run has one)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(1.0)
        self._sample()
