"""Which threads are on a CPU, millisecond by millisecond, seen from outside their interpreter.

A thread that holds the GIL runs; one that waits for it sleeps in the kernel. So the kernel's
view of each thread (Linux: the state in /proc/PID/task/TID/stat, R for on a CPU or about to
be) read about every millisecond shows the GIL passing between the threads of a process. The
reading is done by a sampler *process*: a sampler thread inside the process would itself need
the GIL it is measuring. What it gives back: per thread, the slices it was on a CPU; and
figures, such as the share of time two or more of a set of threads ran at once.
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


@dataclass
class Lane:
    """What the sampler saw: each thread's slices on a CPU, and how finely it looked."""

    slices: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    samples: int = 0
    start_ns: int = 0
    end_ns: int = 0
    supported: bool = True  # False where the OS shows no thread's state (not Linux)

    @property
    def period_ms(self) -> float:
        """The time between two looks, on average (the lane's resolution)."""
        span = self.end_ns - self.start_ns
        return span / max(self.samples - 1, 1) / 1e6

    def on_cpu_s(self, key: tuple[int, int]) -> float:
        """Seconds the thread (pid, tid) was seen on a CPU."""
        return sum(end - start for start, end in self.slices.get(key, [])) / 1e9

    def overlap(self, keys: Iterable[tuple[int, int]], start_ns: int, end_ns: int) -> float:
        """The share (0-1) of start..end in which two or more of these threads were on a CPU."""
        return self.busy(keys, start_ns, end_ns, at_least=2)

    def busy(self, keys: Iterable[tuple[int, int]], start_ns: int, end_ns: int,
             at_least: int = 1) -> float:
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

    def handover_ms(self, keys: Iterable[tuple[int, int]]) -> float | None:
        """The median length of these threads' slices on a CPU (under the GIL: its switch)."""
        lengths = [(end - start) / 1e6 for key in keys for start, end in self.slices.get(key, [])]
        return statistics.median(lengths) if lengths else None


def _state(fd: int) -> str:
    """A thread's scheduling state from its open /proc stat file ('R', 'S', 'D', ...)."""
    text = os.pread(fd, 512, 0)
    return chr(text[text.rindex(b")") + 2])


def _sample(pids: list[int], mains: bool, pipe: Any, ready: Any, stop: Any,
            period: float) -> None:
    """The sampler process: look at the watched threads each period until `stop` is set.

    Every thread of `pids`, or with `mains` only their main threads.
    """
    fds: dict[tuple[int, int], int] = {}
    open_since: dict[tuple[int, int], int] = {}
    lane = Lane(start_ns=time.perf_counter_ns())
    next_scan = 0.0
    parent = os.getppid()
    while not stop.is_set() and os.getppid() == parent:  # an orphan stops by itself
        now = time.perf_counter_ns()
        if time.monotonic() >= next_scan:
            _rescan(pids, fds, mains)
            next_scan = time.monotonic() + (RESCAN_S if not mains else float("inf"))
        for key, fd in list(fds.items()):
            try:
                running = _state(fd) == "R"
            except (OSError, ValueError):  # the thread ended
                os.close(fds.pop(key))
                running = False
            if running and key not in open_since:
                open_since[key] = now
            elif not running and key in open_since:
                lane.slices.setdefault(key, []).append((open_since.pop(key), now))
        lane.samples += 1
        lane.end_ns = now
        ready.set()
        time.sleep(period)
    for key, since in open_since.items():
        lane.slices.setdefault(key, []).append((since, lane.end_ns))
    for fd in fds.values():
        os.close(fd)
    pipe.send(lane)


def _rescan(pids: list[int], fds: dict[tuple[int, int], int], mains: bool) -> None:
    """Open the stat file of every thread (or main thread) of the watched processes not open yet."""
    for pid in pids:
        with contextlib.suppress(OSError):
            for name in [str(pid)] if mains else os.listdir(f"/proc/{pid}/task"):
                key = (pid, int(name))
                if key not in fds:
                    with contextlib.suppress(OSError):
                        fds[key] = os.open(f"/proc/{pid}/task/{name}/stat", os.O_RDONLY)


class CpuLane:
    """Watches the threads of some processes from a sampler process, between start and stop."""

    def __init__(self, pids: list[int], period: float = PERIOD_S, mains: bool = False) -> None:
        """Watch every thread of `pids`, or only their main threads (`mains`: cheaper)."""
        self.pids = list(pids)
        self.period = period
        self.mains = mains
        self._process: Any = None
        self.seen = Lane(supported=False)  # what stop() returned (after a `with` block)

    @property
    def sampler_pid(self) -> int | None:
        """The sampler process's id while it runs (its own cost can be measured)."""
        return self._process.pid if self._process is not None else None

    @staticmethod
    def supported() -> bool:
        """True where a thread's state can be read from outside its process (Linux)."""
        return sys.platform.startswith("linux") and os.path.isdir("/proc/self/task")

    def start(self) -> CpuLane:
        """Start sampling; returns once the sampler looks (its process takes ~50 ms to start)."""
        if not self.supported():
            return self
        ctx = spawn_context()
        self._pipe, child_end = ctx.Pipe(duplex=False)
        self._stop, ready = ctx.Event(), ctx.Event()
        self._process = ctx.Process(target=_sample, name="cpu lane",
                                    args=(self.pids, self.mains, child_end, ready, self._stop,
                                          self.period))
        self._process.start()
        ready.wait(RESULT_WAIT_S)  # looking already: what follows is seen from its start
        return self

    def stop(self) -> Lane:
        """Stop sampling; what was seen (an empty, unsupported Lane off Linux)."""
        if self._process is None:
            return Lane(supported=False)
        self._stop.set()
        lane = self._pipe.recv() if self._pipe.poll(RESULT_WAIT_S) else Lane()
        self._process.join(RESULT_WAIT_S)
        if self._process.is_alive():
            self._process.kill()
        self._process = None
        return lane

    def __enter__(self) -> CpuLane:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.seen = self.stop()  # also when the block raised (Stop): no sampler is left
