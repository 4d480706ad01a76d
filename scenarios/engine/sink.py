"""Where probe events go: a batching sink, an in-process collector, and a cross-process queue."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable
from multiprocessing import connection
from typing import Any

from scenarios.engine.events import Event, Result, now_ns

Deliver = Callable[[list[Event]], None]

# 20 ms keeps the live view fresh (the window draws at 30-60 Hz) while sending few, larger batches.
FLUSH_INTERVAL_S = 0.02
# How long the drainer waits for a batch before looking whether it should stop.
DRAIN_WAIT_S = 0.1
# A batch this large goes at once, so a burst of events never sits in memory for long.
MAX_BATCH = 2048


class BatchingSink:
    """Collects events from any thread and hands them on in batches.

    There is no flusher thread: in the window's process every extra thread that wakes up has to
    win the GIL, which makes the GUI wait for it. A batch goes out when it is
    full, when the oldest event is FLUSH_INTERVAL_S old at the next emit, and whenever the lab is
    about to block (sleep, lock wait, join) or a thread or run ends.
    """

    def __init__(self, deliver: Deliver, interval: float = FLUSH_INTERVAL_S) -> None:
        self._deliver = deliver
        self._interval_ns = int(interval * 1e9)
        # A deque's append is atomic, so emit takes no lock (each span costs less);
        # flushes take turns, and each takes only what was there when it began.
        self._pending: deque[Event] = deque()
        self._lock = threading.Lock()
        self._last_flush = now_ns()

    def emit(self, event: Event) -> None:
        """Queue one event; it goes out with the next batch."""
        pending = self._pending
        pending.append(event)
        if len(pending) >= MAX_BATCH or now_ns() - self._last_flush >= self._interval_ns:
            self.flush()

    def flush(self) -> None:
        """Deliver everything queued so far."""
        with self._lock:
            take = self._pending.popleft
            batch = [take() for _ in range(len(self._pending))]
            self._last_flush = now_ns()
        if batch:
            self._deliver(batch)

    def close(self) -> None:
        """Deliver what is left."""
        self.flush()

    def forget(self) -> None:
        """In a forked child: drop the parent's queued events and lock (they are its own)."""
        self._pending = deque()
        self._lock = threading.Lock()


class Collector:
    """The receiving end in the app or CLI: a thread-safe buffer that a timer drains."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._lock = threading.Lock()
        self.results = 0  # Results received: a run's Result is the last event of its batch
        # Adds what only the receiving end knows to a Result (step mode: the schedule played).
        self.on_result: Callable[[Result], Result] | None = None

    def put_batch(self, batch: list[Event]) -> None:
        """Add a batch (called from sinks and queue drainers, on any thread)."""
        if self.on_result is not None and batch and type(batch[-1]) is Result:
            batch = [*batch[:-1], self.on_result(batch[-1])]
        with self._lock:
            self._events.extend(batch)
            if batch and type(batch[-1]) is Result:
                self.results += 1

    def drain(self) -> list[Event]:
        """Take every event received since the last drain."""
        with self._lock:
            events, self._events = self._events, []
        return events


class QueueDrainer:
    """A thread that moves batches from a multiprocessing queue into a collector.

    It waits on the queue's pipe and on a wake-up pipe of its own, with a timeout: a sentinel
    in the queue itself would have to be written through the queue's shared write lock, which a
    child killed mid-write leaves taken (and a thread left waiting for it). Ten idle wake-ups a
    second cost the GUI nothing measurable; stop() wakes it at once.
    """

    def __init__(self, queue: Any, collector: Collector) -> None:
        self._queue = queue
        self._collector = collector
        self._stopping = threading.Event()
        # what stop() writes to, so the thread ends as soon as it has taken what is queued
        self._wake_reader, self._wake_writer = multiprocessing.Pipe(duplex=False)
        self._thread = threading.Thread(target=self._loop, name="lab-drainer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        reader = self._queue._reader  # the queue's receiving pipe, to wait on beside ours
        try:
            while True:
                ready = connection.wait([reader, self._wake_reader], timeout=DRAIN_WAIT_S)
                if not self._take_queued():
                    return
                if self._stopping.is_set() and (self._wake_reader in ready or not ready):
                    self._take_queued()  # what came in meanwhile, then no more
                    return
        finally:
            self._wake_reader.close()

    def _take_queued(self) -> bool:
        """Move every batch queued now into the collector; False once the queue is gone."""
        import queue as queue_module

        while True:
            try:
                batch = self._queue.get(block=False)
            except queue_module.Empty:
                return True
            except (EOFError, OSError, ValueError):
                return False
            self._collector.put_batch(batch)

    def stop(self, timeout: float = 5.0) -> None:
        """Drain what is already queued, then end the thread (woken at once, not at a timeout)."""
        self._stopping.set()
        with contextlib.suppress(OSError, ValueError):
            self._wake_writer.send_bytes(b"")
        self._thread.join(timeout)
        self._wake_writer.close()
