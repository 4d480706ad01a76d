"""Whether a measured speedup is one that physics allows, and if not, why, in plain words."""

from __future__ import annotations

from dataclasses import dataclass

# A speedup this much above min(workers, cores) is more than noise: the card must say why.
SPEEDUP_SLACK = 1.05
# A serial phase that had less than this share of a core ran slow (it waited for the GIL or
# for a core), which makes any speedup over it look bigger than it is.
FULL_CORE = 0.9
# What else ran is named as a cause from this many cores' worth of CPU (a tenth or so is the
# lab's own bookkeeping and the OS's).
NOTABLE_CORES = 0.15


@dataclass(frozen=True)
class Sharing:
    """What else used the CPU while a phase was timed, in cores (1.0: one core all along)."""

    same_process: float = 0.0  # the phase's process's other threads (they share its GIL)
    other_processes: float = 0.0  # every other process: other programs, or the lab's window

    def causes(self) -> list[str]:
        """What else ran, in plain words, where it was enough to slow the phase."""
        causes = []
        if self.same_process >= NOTABLE_CORES:
            causes.append(f"the window's drawing and other threads of its process took "
                          f"{self.same_process:.0%} of a core, sharing its GIL")
        if self.other_processes >= NOTABLE_CORES:
            causes.append(f"other processes kept {self.other_processes:.1f} cores busy")
        return causes

    def fix(self) -> str:
        """What to do about it."""
        if self.same_process >= NOTABLE_CORES:
            return "Run it on the process back end, or run it again."
        if self.other_processes >= NOTABLE_CORES:
            return "Close what else is busy, or run it again."
        return "Run it again."


def speedup_bound(workers: int, cores: int) -> int:
    """The most a speedup can be: one per worker, up to the cores there are."""
    return max(1, min(workers, cores))


def is_fair(speedup: float, workers: int, cores: int, serial_share: float) -> bool:
    """True if the speedup is within what the cores allow, over a serial loop with a core."""
    return speedup <= speedup_bound(workers, cores) * SPEEDUP_SLACK and serial_share >= FULL_CORE


def spread_caveat(rounds: list[tuple[float, float]], workers: int, cores: int) -> str | None:
    """Words on the round furthest above what the cores allow (None if none is above).

    rounds: each round's (speedup, serial share of a core).
    """
    bound = speedup_bound(workers, cores)
    over = [r for r in rounds if r[0] > bound * SPEEDUP_SLACK]
    if not over:
        return None
    speedup, share = max(over)
    why = (f"its serial loop had only {share:.0%} of a core" if share < FULL_CORE
           else "the machine's speed changed during it")
    which = "A round measured" if len(over) == 1 else f"{len(over)} rounds measured up to"
    return (f"{which} {speedup:.2f}×, above the {bound}× that {cores} cores allow: "
            f"{why}. The median leaves it out.")


def speedup_caveat(speedup: float, workers: int, cores: int, serial_share: float,
                   sharing: Sharing | None = None, gil: bool = False) -> str | None:
    """Why this speedup cannot be taken at face value, naming cause and fix; None if it can.

    serial_share: the serial phase's share of a core; sharing: what else ran during it; gil:
    the workers are threads under one GIL (they allow 1×, whatever the cores).
    """
    if is_fair(speedup, 1 if gil else workers, cores, serial_share):
        return None
    bound, sharing = speedup_bound(1 if gil else workers, cores), sharing or Sharing()
    who = "threads sharing one GIL" if gil else f"{workers} workers on {cores} cores"
    above = (f"{speedup:.2f}× is above the {bound}× that {who} allow"
             if speedup > bound * SPEEDUP_SLACK else "")
    causes = "; ".join(sharing.causes())
    if serial_share < FULL_CORE:
        said = (f"{above + '. ' if above else ''}The serial loop had only {serial_share:.0%} of "
                f"a core{': ' + causes if causes else ''}. So it ran slow, and the speedup "
                "looks bigger than it is")
    else:
        said = (f"{above}, though the serial loop had a whole core: "
                + (causes if causes else "the cores themselves slowed for a while (a cold "
                   "start, or the host's other machines)"))
    return f"{said}. {sharing.fix()}"


def waiting_caveat(speedup: float, threads: int) -> str | None:
    """Why a speedup of threads that only wait is above one per thread; None if it is not.

    Waiting takes no core, so the cores set no bound here: the threads do, each doing its share
    of the waiting at the same time as the others.
    """
    if speedup <= threads * SPEEDUP_SLACK:
        return None
    return (f"{speedup:.2f}× is above the {threads}× that {threads} threads allow (each does its "
            "share of the waiting at once): the one-after-the-other run was slowed by something "
            "else, a cold start or a busy machine. Run it again.")


def core_share(cpu_s: float, wall_s: float, cores: int = 1) -> float:
    """The share of `cores` whole cores that `cpu_s` seconds of CPU over `wall_s` amount to."""
    return round(cpu_s / (wall_s * cores), 3) if wall_s > 0 and cores > 0 else 0.0
