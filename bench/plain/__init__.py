"""The deck's own examples as plain scripts (no lab), timed for bench.fidelity."""

from __future__ import annotations

import time

# About how long `python -m scenarios run ...` is busy importing before its lesson starts (60-100
# ms here), rounded up.
WARM_UP_S = 0.1


def warm_up(seconds: float = WARM_UP_S) -> None:
    """Keep this core busy for a moment before the timed section, as the lesson's CLI is.

    This host's cores run slow for a while after being idle. Started just after the interpreter,
    the first 1000 tasks of the deck's serial loop took a median 21% longer than the loop's
    typical 1000 (12 runs); after the lesson's CLI imports, 3% (8 runs). Warmed up this long,
    the plain serial loop of 15,000 tasks took 7% less (14 runs each way). Without it the plain
    script alone would pay the ramp, and the lesson would look faster than the deck's own code.
    """
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
