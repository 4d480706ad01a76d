"""What the OS counts of CPU time and threads: by psutil where it is installed, else by hand.

A lesson's process may run on another Python than the window's (Lab → Python for processes):
a free-threaded build a learner installed has the standard library and nothing else. There,
Linux's /proc and os.times() give the same counts; where neither can (another OS, no psutil),
None says so.
"""

from __future__ import annotations

import contextlib
import os

try:
    import psutil
except ImportError:  # another Python: the lab's own package and the standard library only
    psutil = None
if psutil is not None and not hasattr(psutil, "Process"):  # a folder of that name, not psutil
    psutil = None

TICK_S = 1 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01
# /proc/stat's first line: the columns that are busy (user, nice, system, _, _, irq, softirq,
# steal), as psutil counts them.
BUSY_COLUMNS = (0, 1, 2, 5, 6, 7)


def process_cpu_s(pid: int | None = None) -> float | None:
    """CPU seconds a process (this one by default) has used so far; None if it cannot be read."""
    if psutil is not None:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:  # it has ended
            return None
        return times.user + times.system
    if pid is None or pid == os.getpid():
        times = os.times()
        return times.user + times.system
    return _stat_cpu_s(f"/proc/{pid}/stat")


def threads_cpu_s() -> dict[int, float] | None:
    """CPU seconds each thread of this process has used so far, by native id (None: unknown)."""
    if psutil is not None:
        return {t.id: t.user_time + t.system_time for t in psutil.Process().threads()}
    try:
        names = os.listdir("/proc/self/task")
    except OSError:
        return None
    found = {int(name): _stat_cpu_s(f"/proc/self/task/{name}/stat") for name in names}
    return {tid: cpu for tid, cpu in found.items() if cpu is not None}


def machine_busy_s() -> float | None:
    """CPU seconds every program on the machine has used so far, summed over the cores."""
    if psutil is not None:
        times = psutil.cpu_times()
        return sum(getattr(times, name, 0.0) for name in
                   ("user", "nice", "system", "irq", "softirq", "steal"))
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/stat") as file:
            ticks = file.readline().split()[1:]
        return sum(int(ticks[i]) for i in BUSY_COLUMNS if i < len(ticks)) * TICK_S
    return None


def _stat_cpu_s(path: str) -> float | None:
    """User plus system time from a /proc .../stat file, or None if it is not there."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open(path, "rb") as file:
            fields = file.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * TICK_S  # utime, stime after the state
    return None
