"""Which threads are on a CPU, millisecond by millisecond, seen from outside their interpreter.

A thread that holds the GIL runs; one that waits for it sleeps in the kernel. So the kernel's
view of each thread read about every millisecond shows the GIL passing between the threads of
a process. The reading is done by a sampler *process*: a sampler thread inside the process would
itself need the GIL it is measuring.

On Linux the sampler reads each thread's state (/proc/PID/task/TID/stat: R is on a CPU or
about to be) for *when* it ran, and the kernel's run-time counters (.../schedstat: time on a
CPU, time waiting for one) for *how long*. The counters alone cannot say when: a running
thread's counter moves only at the scheduler's tick (4 ms lumps here). Elsewhere (Windows,
macOS) it reads each thread's CPU time (psutil): a thread whose time moved since the last look
ran; those times move in the OS's own steps (about 15.6 ms on Windows), and the lane says so.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scenarios.engine.spawning import spawn_context

PERIOD_S = 0.001  # how often every thread is looked at (with the reading, 1-1.5 ms apart)
RESCAN_S = 0.05  # how often new threads of the watched processes are looked for
RESULT_WAIT_S = 5.0
STATES, TIMES = "thread states", "CPU times"  # the two ways of looking (see the docstring)

Key = tuple[int, int]  # (pid, native thread id)


@dataclass
class Lane:
    """What the sampler saw: each thread's slices on a CPU, and how finely it looked."""

    slices: dict[Key, list[tuple[int, int]]] = field(default_factory=dict)
    samples: int = 0
    start_ns: int = 0
    end_ns: int = 0
    supported: bool = True  # False where no way of looking works
    method: str = STATES
    step_ns: int = 0  # the smallest step of the CPU times read (TIMES only): their resolution
    ran_ns: dict[Key, int] = field(default_factory=dict)  # on a CPU, by the kernel's counter
    queued_ns: dict[Key, int] = field(default_factory=dict)  # ready, waiting for a core

    @property
    def period_ms(self) -> float:
        """The time between two looks, on average."""
        span = self.end_ns - self.start_ns
        return span / max(self.samples - 1, 1) / 1e6

    @property
    def resolution_ms(self) -> float:
        """The finest detail the lane can show: its period, or the OS's step if coarser."""
        return max(self.period_ms, self.step_ns / 1e6)

    def on_cpu_s(self, key: Key) -> float:
        """Seconds the thread (pid, tid) was seen on a CPU."""
        return sum(end - start for start, end in self.slices.get(key, [])) / 1e9

    def overlap(self, keys: Iterable[Key], start_ns: int, end_ns: int) -> float:
        """The share (0-1) of start..end in which two or more of these threads were on a CPU."""
        return self.busy(keys, start_ns, end_ns, at_least=2)

    def busy(self, keys: Iterable[Key], start_ns: int, end_ns: int, at_least: int = 1) -> float:
        """The share (0-1) of start..end in which `at_least` of these threads were on a CPU."""
        edges = []
        for key in keys:
            for begin, end in self.slices.get(key, []):
                begin, end = max(begin, start_ns), min(end, end_ns)
                if begin < end:
                    edges += [(begin, 1), (end, -1)]
        edges.sort()
        running, together, since = 0, 0, 0
        for at, step in edges:
            if running >= at_least:
                together += at - since
            running += step
            since = at
        return together / (end_ns - start_ns) if end_ns > start_ns else 0.0

    def handover_ms(self, keys: Iterable[Key]) -> float | None:
        """The median length of these threads' slices on a CPU (under the GIL: its switch)."""
        lengths = [(end - start) / 1e6 for key in keys for start, end in self.slices.get(key, [])]
        return statistics.median(lengths) if lengths else None


class StateLooker:
    """Linux: each thread's state from /proc (running or not), and its schedstat counters."""

    method = STATES

    def __init__(self, pids: list[int], mains: bool) -> None:
        self.pids, self.mains = pids, mains
        self.fds: dict[Key, tuple[int, int]] = {}  # stat, schedstat
        self.first: dict[Key, tuple[int, int]] = {}  # counters when first seen
        self.last: dict[Key, tuple[int, int]] = {}  # counters at its last change of state
        self.running: dict[Key, bool] = {}

    def rescan(self) -> None:
        """Open the files of every thread (or main thread) of the watched processes not open yet."""
        for pid in self.pids:
            with contextlib.suppress(OSError):
                for name in [str(pid)] if self.mains else os.listdir(f"/proc/{pid}/task"):
                    key = (pid, int(name))
                    if key not in self.fds:
                        with contextlib.suppress(OSError):
                            self.fds[key] = self._open(f"/proc/{pid}/task/{name}")
                            self.first[key] = self.last[key] = self._counters(key)

    @staticmethod
    def _open(folder: str) -> tuple[int, int]:
        stat = os.open(f"{folder}/stat", os.O_RDONLY)
        try:
            return stat, os.open(f"{folder}/schedstat", os.O_RDONLY)
        except OSError:
            os.close(stat)
            raise

    def _counters(self, key: Key) -> tuple[int, int]:
        """(ns on a CPU, ns waiting for one) so far, from the thread's schedstat."""
        ran, queued = os.pread(self.fds[key][1], 128, 0).split()[:2]
        return int(ran), int(queued)

    def look(self, now: int) -> dict[Key, int | None]:
        """For each thread: since when it has been running (now), or None if it is not."""
        seen: dict[Key, int | None] = {}
        for key, (stat, _) in list(self.fds.items()):
            try:
                text = os.pread(stat, 512, 0)
                running = chr(text[text.rindex(b")") + 2]) == "R"
                # its counters move only while it is R (its last reading may be the one
                # before it ends: an ended thread's cannot be read)
                if running or self.running.get(key, False):
                    self.last[key] = self._counters(key)
                self.running[key] = running
            except (OSError, ValueError):  # the thread ended
                self.close(key)
                running = False
            seen[key] = now if running else None
        return seen

    def close(self, key: Key | None = None) -> None:
        """Close one thread's files (it ended), or every thread's."""
        for one in [key] if key is not None else list(self.fds):
            for fd in self.fds.pop(one, ()):
                os.close(fd)

    def fill(self, lane: Lane) -> None:
        """Put the counters' totals into the lane (read once more for threads still there)."""
        for key in self.fds:
            with contextlib.suppress(OSError, ValueError):
                self.last[key] = self._counters(key)
        for key, (ran, queued) in self.last.items():
            ran0, queued0 = self.first[key]
            lane.ran_ns[key], lane.queued_ns[key] = ran - ran0, queued - queued0


class TimesLooker:
    """Anywhere psutil runs: a thread ran since the last look if its CPU time moved."""

    method = TIMES

    def __init__(self, pids: list[int], mains: bool) -> None:
        import psutil  # only the sampler process needs it, and only off Linux

        self.processes = {pid: psutil.Process(pid) for pid in pids}
        self.gone = psutil.Error  # what asking an ended process raises
        self.mains = mains
        self.times: dict[Key, tuple[int, int]] = {}  # ns of CPU, when it last moved
        self.first: dict[Key, int] = {}
        self.step_ns = 0

    def rescan(self) -> None:
        """Nothing to open: every look asks for the processes' threads."""

    def _read(self) -> dict[Key, int]:
        """Each watched thread's CPU time so far (with `mains`, each process's), in ns."""
        found: dict[Key, int] = {}
        for pid, process in list(self.processes.items()):
            try:
                if self.mains:  # its work is on its main thread: the process's times will do
                    cpu = process.cpu_times()
                    found[(pid, pid)] = round((cpu.user + cpu.system) * 1e9)
                else:
                    for thread in process.threads():
                        found[(pid, thread.id)] = round(
                            (thread.user_time + thread.system_time) * 1e9)
            except self.gone:
                self.processes.pop(pid)
        return found

    def look(self, now: int) -> dict[Key, int | None]:
        """For each thread: since when it ran (it ran since its time last moved), or None."""
        seen: dict[Key, int | None] = {}
        for key, cpu in self._read().items():
            before, moved_at = self.times.get(key, (cpu, now))
            self.first.setdefault(key, cpu)
            step = cpu - before
            if step > 0:
                self.step_ns = min(self.step_ns or step, step)
                self.times[key] = (cpu, now)
                seen[key] = max(now - step, moved_at)  # it ran `step` since its time last moved
            else:
                self.times[key] = (cpu, moved_at)
                seen[key] = None
        return seen

    def close(self, key: Key | None = None) -> None:
        """Nothing is kept open."""

    def fill(self, lane: Lane) -> None:
        """Put the CPU times' totals and their resolution into the lane."""
        lane.step_ns = self.step_ns
        for key, (cpu, _) in self.times.items():
            lane.ran_ns[key] = cpu - self.first[key]


def looker(method: str, pids: list[int], mains: bool) -> StateLooker | TimesLooker:
    """The way of looking asked for."""
    return StateLooker(pids, mains) if method == STATES else TimesLooker(pids, mains)


def _sample(pids: list[int], mains: bool, method: str, pipe: Any, ready: Any, stop: Any,
            period: float) -> None:
    """The sampler process: look at the watched threads each period until `stop` is set.

    Every thread of `pids`, or with `mains` only their main threads.
    """
    eyes = looker(method, pids, mains)
    open_since: dict[Key, int] = {}
    lane = Lane(start_ns=time.perf_counter_ns(), method=method)
    next_scan = 0.0
    parent = os.getppid()
    while not stop.is_set() and os.getppid() == parent:  # an orphan stops by itself
        now = time.perf_counter_ns()
        if time.monotonic() >= next_scan:
            eyes.rescan()
            next_scan = time.monotonic() + (RESCAN_S if not mains else float("inf"))
        for key, since in eyes.look(now).items():
            if since is not None and key not in open_since:
                open_since[key] = since
            elif since is None and key in open_since:
                lane.slices.setdefault(key, []).append((open_since.pop(key), now))
        lane.samples += 1
        lane.end_ns = now
        ready.set()
        time.sleep(period)
    for key, since in open_since.items():
        lane.slices.setdefault(key, []).append((since, lane.end_ns))
    eyes.fill(lane)
    eyes.close()
    pipe.send(lane)


class CpuLane:
    """Watches the threads of some processes from a sampler process, between start and stop."""

    def __init__(self, pids: list[int], period: float = PERIOD_S, mains: bool = False,
                 method: str = "") -> None:
        """Watch every thread of `pids`, or only their main threads (`mains`: cheaper).

        `method`: STATES or TIMES; by default the finest this OS offers.
        """
        self.pids = list(pids)
        self.period = period
        self.mains = mains
        self.method = method or (STATES if self.reads_states() else TIMES)
        self._process: Any = None
        self.seen = Lane(supported=False)  # what stop() returned (after a `with` block)

    @property
    def sampler_pid(self) -> int | None:
        """The sampler process's id while it runs (its own cost can be measured)."""
        return self._process.pid if self._process is not None else None

    @staticmethod
    def reads_states() -> bool:
        """True where a thread's state can be read from outside its process (Linux)."""
        return sys.platform.startswith("linux") and os.path.isdir("/proc/self/task")

    @staticmethod
    def supported() -> bool:
        """True where some way of looking works (per-thread CPU times: Linux, Windows, macOS)."""
        return CpuLane.reads_states() or sys.platform in ("win32", "darwin")

    def start(self) -> CpuLane:
        """Start sampling; returns once the sampler looks (its process takes ~50 ms to start)."""
        if not self.supported():
            return self
        ctx = spawn_context()
        self._pipe, child_end = ctx.Pipe(duplex=False)
        self._stop, ready = ctx.Event(), ctx.Event()
        self._process = ctx.Process(target=_sample, name="cpu lane",
                                    args=(self.pids, self.mains, self.method, child_end, ready,
                                          self._stop, self.period))
        self._process.start()
        ready.wait(RESULT_WAIT_S)  # looking already: what follows is seen from its start
        return self

    def stop(self) -> Lane:
        """Stop sampling; what was seen (an empty, unsupported Lane where none can look)."""
        if self._process is None:
            return Lane(supported=False)
        self._stop.set()
        lane = self._pipe.recv() if self._pipe.poll(RESULT_WAIT_S) else Lane(supported=False)
        self._process.join(RESULT_WAIT_S)
        if self._process.is_alive():
            self._process.kill()
        self._process = None
        return lane

    def __enter__(self) -> CpuLane:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.seen = self.stop()  # also when the block raised (Stop): no sampler is left
