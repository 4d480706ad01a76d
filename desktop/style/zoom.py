"""Zoom steps of the whole UI (text, plot fonts and lines), in percent."""

from __future__ import annotations

# Browser-like steps; 70 % still reads on a laptop, 250 % fills a 4K projector's worth of text.
STEPS = (70, 80, 90, 100, 110, 125, 150, 175, 200, 250)
DEFAULT = 100


def bigger(percent: int) -> int:
    """The next zoom step above `percent` (the largest stays)."""
    return next((step for step in STEPS if step > percent), STEPS[-1])


def smaller(percent: int) -> int:
    """The next zoom step below `percent` (the smallest stays)."""
    return next((step for step in reversed(STEPS) if step < percent), STEPS[0])
