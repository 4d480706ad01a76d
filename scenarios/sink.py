"""Where probe events go: a batching sink, an in-process collector, and a cross-process queue."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from scenarios.events import Event

Deliver = Callable[[list[Event]], None]

# 20 ms keeps the live view fresh (the window draws at 30-60 Hz) while sending few, larger batches.
FLUSH_INTERVAL_S = 0.02
# A batch this large goes at once, so a burst of events never sits in memory for long.
MAX_BATCH = 2048


class BatchingSink:
    """Collects events from any thread and hands them on in batches, from a small flusher thread."""

    def __init__(self, deliver: Deliver, interval: float = FLUSH_INTERVAL_S) -> None:
        self._deliver = deliver
        self._interval = interval
        self._pending: list[Event] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._flusher = threading.Thread(target=self._loop, name="lab-flusher", daemon=True)
        self._flusher.start()

    def emit(self, event: Event) -> None:
        """Queue one event; it is delivered within one flush interval."""
        with self._lock:
            self._pending.append(event)
            full = len(self._pending) >= MAX_BATCH
        if full:
            self.flush()

    def flush(self) -> None:
        """Deliver everything queued so far."""
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            self._deliver(batch)

    def close(self) -> None:
        """Flush what is left and stop the flusher thread."""
        self._closed.set()
        if self._flusher is not threading.current_thread():
            self._flusher.join(timeout=2)
        self.flush()

    def _loop(self) -> None:
        while not self._closed.wait(self._interval):
            self.flush()


class Collector:
    """The receiving end in the app or CLI: a thread-safe buffer that a timer drains."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._lock = threading.Lock()

    def put_batch(self, batch: list[Event]) -> None:
        """Add a batch (called from sinks and queue drainers, on any thread)."""
        with self._lock:
            self._events.extend(batch)

    def drain(self) -> list[Event]:
        """Take every event received since the last drain."""
        with self._lock:
            events, self._events = self._events, []
        return events


class QueueDrainer:
    """A thread that moves batches from a multiprocessing queue into a collector."""

    def __init__(self, queue: Any, collector: Collector) -> None:
        self._queue = queue
        self._collector = collector
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="lab-drainer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        import queue as queue_module

        while True:
            try:
                batch = self._queue.get(timeout=0.05)
            except queue_module.Empty:
                if self._stop.is_set():
                    return
                continue
            except (EOFError, OSError, ValueError):
                return
            if batch is None:
                return
            self._collector.put_batch(batch)

    def stop(self, timeout: float = 1.0) -> None:
        """Drain what is already queued, then end the thread."""
        self._stop.set()
        self._thread.join(timeout)
