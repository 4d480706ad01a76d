"""Who had the CPU while a phase was timed: its thread, its process's other threads, the rest."""

from __future__ import annotations

import time

from scenarios.engine.os_counts import machine_busy_s, process_cpu_s
from scenarios.model.fairness import Sharing, core_share


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
        self.process_s = process_cpu_s() or 0.0
        self.machine_s = machine_busy_s()  # None where the OS's count cannot be read

    def read(self) -> tuple[float, Sharing]:
        """The calling thread's share of a core since the start, and what else used the CPU."""
        wall = time.perf_counter() - self.wall_s
        thread = time.thread_time() - self.thread_s
        process = (process_cpu_s() or 0.0) - self.process_s
        machine_now = machine_busy_s()
        # unknown: as if nothing else ran
        machine = process if machine_now is None or self.machine_s is None \
            else machine_now - self.machine_s
        return core_share(thread, wall), Sharing(
            same_process=core_share(max(0.0, process - thread), wall),
            other_processes=core_share(max(0.0, machine - process), wall))
