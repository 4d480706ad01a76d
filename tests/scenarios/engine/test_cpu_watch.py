"""CpuWatch sees the phase's own thread on a core, and another thread of its process beside it."""

from __future__ import annotations

import threading
import time

from scenarios.engine.cpu_watch import CpuWatch


def spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_a_phase_alone_has_most_of_a_core() -> None:
    watch = CpuWatch()
    spin(0.4)
    share, sharing = watch.read()
    assert share > 0.5  # a loaded CI machine may take some of it
    assert sharing.same_process < 0.3


def test_another_thread_of_the_process_is_seen_beside_the_phase() -> None:
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            spin(0.01)

    other = threading.Thread(target=busy)
    other.start()
    try:
        watch = CpuWatch()
        spin(0.5)
        share, sharing = watch.read()
    finally:
        stop.set()
        other.join()
    # two threads take turns on the GIL: each gets about half a core
    assert share < 0.85
    assert sharing.same_process > 0.2
