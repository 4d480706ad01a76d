"""The CPU sampler: per-core use and each watched thread's share of a core, from the OS."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from statistics import mean

import psutil
import pytest

from desktop.instruments.cpu_sampler import CpuSampler, thread_shares
from scenarios.engine.events import Metric, now_ns
from scenarios.engine.sink import Collector


def metrics(collector: Collector) -> list[Metric]:
    """Every metric the collector holds."""
    return [e for e in collector.drain() if isinstance(e, Metric)]


def no_such_pid() -> int:
    """A process id that nothing uses now."""
    pid = 4_000_000
    while psutil.pid_exists(pid):
        pid += 1
    return pid


@pytest.fixture
def sampler() -> Iterator[tuple[CpuSampler, Collector]]:
    """A started sampler and its collector; stopped after the test."""
    collector = Collector()
    sampler = CpuSampler(collector)
    sampler.start()
    yield sampler, collector
    sampler.stop()


def test_thread_shares_divides_cpu_seconds_by_wall_seconds():
    previous = {1: 2.0, 2: 5.0, 3: 1.0, 4: 3.0}  # 3 has ended; 4's id now names a new thread
    current = {1: 2.1, 2: 5.0, 4: 0.02, 5: 0.5}  # 5 is new
    shares = thread_shares(previous, current, 0.1)
    assert shares.keys() == {1, 2}
    assert shares[1] == pytest.approx(1.0)
    assert shares[2] == 0.0
    assert thread_shares({}, current, 0.1) == {}
    assert thread_shares(previous, current, 0.0) == {}


def test_a_busy_thread_shows_about_one_core_and_a_sleeping_one_none(sampler):
    sampler, collector = sampler
    pid = os.getpid()
    seen: list[Metric] = []
    stop = threading.Event()

    def spin() -> None:
        """Burn CPU for 0.6 s, or longer (up to 1.5 s) until two samples of this thread are in.

        The sampler needs the GIL back after each file it reads, and this loop holds it for a
        switch interval each time, so samples come slower than 10 Hz meanwhile.
        """
        me = f"thread_cpu:{pid}:{threading.get_native_id()}"
        start = checked = time.perf_counter()
        while True:
            now = time.perf_counter()
            if now - checked > 0.05:
                checked = now
                seen.extend(metrics(collector))
                enough = now - start > 0.6 and sum(m.name == me for m in seen) >= 2
                if enough or now - start > 1.5:
                    return

    idle = threading.Thread(target=stop.wait, args=(3.0,), name="idle")
    idle.start()
    busy = threading.Thread(target=spin, name="busy")
    busy.start()
    sampler.watch([pid], [idle.native_id, busy.native_id])  # own threads: their kernel clocks
    busy.join()
    stop.set()
    idle.join()
    seen += metrics(collector)
    busy_shares = [m.value for m in seen if m.name == f"thread_cpu:{pid}:{busy.native_id}"]
    idle_shares = [m.value for m in seen if m.name == f"thread_cpu:{pid}:{idle.native_id}"]
    assert len(busy_shares) >= 2 and len(idle_shares) >= 2
    assert mean(busy_shares) > 0.5
    assert mean(idle_shares) < 0.1


def test_a_watched_process_that_ends_does_not_stop_the_sampler(sampler):
    sampler, collector = sampler
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
    try:
        sampler.watch([child.pid, os.getpid(), no_such_pid()], [threading.get_native_id()])
        child.wait(5)
    finally:
        child.kill()
        child.wait()
    ended = now_ns()
    time.sleep(0.35)
    seen = metrics(collector)
    child_metrics = [m for m in seen if m.name.startswith(f"thread_cpu:{child.pid}:")]
    assert child_metrics, "the child's thread was sampled while it ran"
    assert all(m.time < ended for m in child_metrics)
    after = [m for m in seen if m.time > ended]
    assert sum(m.name == "core0" for m in after) >= 2
    assert any(m.name.startswith(f"thread_cpu:{os.getpid()}:") for m in after)


def test_stop_ends_the_thread_after_one_last_sample():
    collector = Collector()
    sampler = CpuSampler(collector)
    before = set(threading.enumerate())
    sampler.start()
    (thread,) = [t for t in threading.enumerate() if t not in before]
    assert thread.name == "cpu-sampler"
    sampler.stop()
    assert not thread.is_alive()
    assert any(m.name == "core0" for m in metrics(collector))
