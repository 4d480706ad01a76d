"""Whether a measured speedup is one that physics allows, and if not, why, in plain words."""

from __future__ import annotations

# A speedup this much above min(workers, cores) is more than noise: the card must say why.
SPEEDUP_SLACK = 1.05
# A serial phase that had less than this share of a core ran slow (it waited for the GIL or
# for a core), which makes any speedup over it look bigger than it is.
FULL_CORE = 0.9


def speedup_bound(workers: int, cores: int) -> int:
    """The most a speedup can be: one per worker, up to the cores there are."""
    return max(1, min(workers, cores))


def speedup_caveat(speedup: float, workers: int, cores: int, serial_share: float) -> str | None:
    """Why this speedup cannot be taken at face value, naming cause and fix; None if it can."""
    bound = speedup_bound(workers, cores)
    if serial_share < FULL_CORE:
        above = (f"{speedup:.2f}× is more than {workers} workers on {cores} cores can give "
                 f"({bound}×): " if speedup > bound * SPEEDUP_SLACK else "")
        return (f"{above}the serial loop had only {serial_share:.0%} of a core, so it ran slow "
                "and the speedup looks bigger than it is. On the thread back end the loop "
                "shares the GIL with the window's drawing; a busy machine slows it too. Run it "
                "on the process back end, or run it again.")
    if speedup > bound * SPEEDUP_SLACK:
        return (f"{speedup:.2f}× is more than {workers} workers on {cores} cores can give "
                f"({bound}×), though the serial loop had a whole core: it ran slower for "
                "another reason (a cold start: cores speed up after a while, or a busy "
                "machine). Run it again.")
    return None


def core_share(cpu_s: float, wall_s: float, cores: int = 1) -> float:
    """The share of `cores` whole cores that `cpu_s` seconds of CPU over `wall_s` amount to."""
    return round(cpu_s / (wall_s * cores), 3) if wall_s > 0 and cores > 0 else 0.0
