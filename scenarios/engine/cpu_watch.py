"""Who had the CPU while a phase was timed: its thread, its process's other threads, the rest."""

from __future__ import annotations

import time

import psutil

from scenarios.model.fairness import Sharing, core_share


def process_cpu_s() -> float:
    """CPU seconds this process has used so far, all its threads (psutil: the OS's count)."""
    times = psutil.Process().cpu_times()
    return times.user + times.system


def machine_busy_s() -> float:
    """CPU seconds every program on the machine has used so far, summed over the cores."""
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in
               ("user", "nice", "system", "irq", "softirq", "steal"))


class CpuWatch:
    """Started before a timed phase, read after it: the phase's share of a core, and what shared.

    The phase runs on the calling thread. What else ran meanwhile is split by where it ran: other
    threads of the same process (on the thread back end, the window's drawing, which also wants
    the GIL) and every other process (other programs, or the window when the lesson has its own
    process). Times tick in 10 ms steps on Linux: read over phases of a few tenths of a second.
    """

    def __init__(self) -> None:
        self.wall_s = time.perf_counter()
        self.thread_s = time.thread_time()
        self.process_s = process_cpu_s()
        self.machine_s = machine_busy_s()

    def read(self) -> tuple[float, Sharing]:
        """The calling thread's share of a core since the start, and what else used the CPU."""
        wall = time.perf_counter() - self.wall_s
        thread = time.thread_time() - self.thread_s
        process = process_cpu_s() - self.process_s
        machine = machine_busy_s() - self.machine_s
        return core_share(thread, wall), Sharing(
            same_process=core_share(max(0.0, process - thread), wall),
            other_processes=core_share(max(0.0, machine - process), wall))
