"""Per-core and per-thread CPU use from psutil, sampled off the GUI thread into a collector."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

import psutil

from scenarios.engine.events import Metric, now_ns
from scenarios.engine.sink import Collector

# psutil's non-blocking cpu_percent needs samples at least 0.1 s apart to mean anything.
# Linux also counts a thread's CPU time in clock ticks (usually 10 ms), so a thread's share of a
# core over 0.1 s moves in steps of about 0.1: that is what the OS knows, shown as is, unsmoothed.
INTERVAL_S = 0.1

K = TypeVar("K", bound=Hashable)
# Linux's CPU clock of one thread of this process (the kernel's MAKE_THREAD_CPUCLOCK with
# CPUCLOCK_SCHED): reading it never gives up the GIL, where psutil's /proc reads do, one file
# per thread, and each wait for the GIL again costs up to a switch interval while a lesson's
# CPU-bound thread runs in this process.
OWN_CLOCKS = sys.platform == "linux"


def thread_clock(tid: int) -> int:
    """The clock id of the CPU time of thread `tid` (native id) of this process (Linux)."""
    return ((~tid) << 3) | 6


def python_threads() -> frozenset[int]:
    """Native ids of this process's Python threads, read without a system call.

    A lesson's thread is in it from its first moment, so it gets CPU samples before its first
    event names it.
    """
    return frozenset(t.native_id for t in threading.enumerate() if t.native_id is not None)


def own_thread_cpu(tids: Iterable[int]) -> dict[int, float]:
    """CPU seconds of these threads of this process; ended threads are left out."""
    cpu = {}
    for tid in tids:
        try:
            cpu[tid] = time.clock_gettime(thread_clock(tid))
        except OSError:  # the thread has ended
            pass
    return cpu


def thread_shares(previous: Mapping[K, float], current: Mapping[K, float],
                  seconds: float) -> dict[K, float]:
    """Each thread's share of one core (1.0 = a full core) between two readings of CPU seconds."""
    if seconds <= 0:
        return {}
    shares: dict[K, float] = {}
    for key, cpu in current.items():
        before = previous.get(key)
        # A thread new since the last reading has no interval yet; one whose count went down is a
        # new thread that got a reused id: both only give a baseline for the next reading.
        if before is not None and cpu >= before:
            shares[key] = (cpu - before) / seconds
    return shares


class CpuSampler:
    """A thread that puts per-core and per-thread CPU metrics into a collector at 10 Hz.

    `coreN`: percent busy of core N. `thread_cpu:PID:TID`: the share of one core (1.0 = a full
    core) that thread TID (its native id, as in the events) of a watched process used since the
    last sample.
    """

    def __init__(self, collector: Collector, interval: float = INTERVAL_S) -> None:
        self._collector = collector
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cpu-sampler", daemon=True)
        self._sampling = threading.Lock()  # stop() samples too, should the thread outlive join
        self._watched: frozenset[int] = frozenset()  # replaced whole by watch(), read once a sample
        self._own_tids: frozenset[int] = frozenset()  # this process's threads worth a strip
        # Only the sampling code touches these:
        self._processes: dict[int, psutil.Process] = {}  # reused: psutil caches and checks identity
        self._readings: dict[int, tuple[int, dict[int, float]]] = {}  # pid -> (stamp, tid -> CPU s)
        self._dropped: set[int] = set()  # watched pids that vanished or were denied

    def watch(self, pids: Iterable[int], own_tids: Iterable[int] = ()) -> None:
        """Sample the threads of these processes from now on (replaces the set).

        For this process itself, its Python threads and the threads `own_tids` (native ids of
        threads seen in the run, e.g. started with _thread) are sampled, from their kernel
        clocks on Linux (see OWN_CLOCKS).
        """
        self._own_tids = frozenset(own_tids)
        self._watched = frozenset(pids)

    def start(self) -> None:
        """Begin sampling (the first reading primes psutil and is not kept)."""
        psutil.cpu_percent(percpu=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def _sample(self) -> None:
        with self._sampling:
            stamp = now_ns()
            values = psutil.cpu_percent(percpu=True)
            metrics = [Metric(f"core{i}", stamp, value) for i, value in enumerate(values)]
            metrics += self._thread_metrics()
            self._collector.put_batch(metrics)

    def _thread_metrics(self) -> list[Metric]:
        watched = self._watched
        for pid in [pid for pid in self._processes if pid not in watched]:
            self._forget(pid)
        self._dropped &= watched  # a pid watched again later gets a fresh try
        metrics = []
        for pid in watched - self._dropped:
            if pid == os.getpid() and OWN_CLOCKS:
                current, stamp = own_thread_cpu(self._own_tids | python_threads()), now_ns()
                metrics += self._shares(pid, stamp, current)
                continue
            try:
                process = self._processes.get(pid)
                if process is None:
                    process = self._processes[pid] = psutil.Process(pid)
                threads = process.threads()
                stamp = now_ns()
                if not process.is_running():  # checked after reading: gone, or the pid reused
                    raise psutil.NoSuchProcess(pid)
            except (psutil.Error, OSError):  # NoSuchProcess, ZombieProcess, AccessDenied, ...
                self._forget(pid)
                self._dropped.add(pid)
                continue
            current = {t.id: t.user_time + t.system_time for t in threads}
            metrics += self._shares(pid, stamp, current)
        return metrics

    def _shares(self, pid: int, stamp: int, current: dict[int, float]) -> list[Metric]:
        """Metrics of a process's threads since its last reading, which `current` replaces."""
        previous = self._readings.get(pid)
        self._readings[pid] = (stamp, current)  # threads that ended are forgotten here
        if previous is None:
            return []
        shares = thread_shares(previous[1], current, (stamp - previous[0]) / 1e9)
        return [Metric(f"thread_cpu:{pid}:{tid}", stamp, share) for tid, share in shares.items()]

    def _forget(self, pid: int) -> None:
        self._processes.pop(pid, None)
        self._readings.pop(pid, None)

    def stop(self) -> None:
        """End sampling with one last sample (so even a short run has one)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(1.0)
        self._sample()
