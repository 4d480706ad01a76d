"""Colours: span kinds in the colour-blind-safe Okabe-Ito palette, and one colour per worker."""

from __future__ import annotations

KIND_COLOURS = {
    "run": "#0072B2",        # blue
    "sleep": "#56B4E9",      # sky blue
    "io": "#009E73",         # bluish green
    "wait_lock": "#D55E00",  # vermillion
    "hold_lock": "#E69F00",  # orange
    "blocked": "#A0A0A0",    # grey
    "runnable": "#CC79A7",   # reddish purple
}
KIND_NAMES = {
    "run": "running",
    "sleep": "sleeping",
    "io": "waiting on I/O",
    "wait_lock": "waiting for a lock",
    "hold_lock": "holding a lock",
    "blocked": "blocked (join, pool, queue)",
    "runnable": "runnable (ready, waiting for a CPU or the GIL)",
}
OTHER_KIND = "#F0E442"
# The OS's view: a thread's CPU share, drawn as a dark strip on a pale track under its row.
CPU_COLOUR = "#333333"
CPU_TRACK = "#E6E6E6"  # yellow, for kinds a later lesson adds

# Readable on white, distinct from each other; the first is for the lesson's main thread.
WORKER_COLOURS = ["#222222", "#0072B2", "#009E73", "#AD1457", "#8E44AD", "#D35400",
                  "#16A085", "#7F8C8D", "#2C3E50", "#B7950B"]
STDERR_COLOUR = "#C62828"
LAB_COLOUR = "#6A1B9A"


def kind_colour(kind: str) -> str:
    """The colour of a span kind."""
    return KIND_COLOURS.get(kind, OTHER_KIND)


def worker_colour(order: int) -> str:
    """The colour of the worker with this first-seen order."""
    return WORKER_COLOURS[order % len(WORKER_COLOURS)]
