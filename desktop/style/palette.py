"""Colours: span kinds in the colour-blind-safe Okabe-Ito palette, one colour per worker.

The same colours are also made readable on the dark theme's background.
"""

from __future__ import annotations

import functools

from desktop.style import look

KIND_COLOURS = {
    "run": "#0072B2",        # blue
    "sleep": "#56B4E9",      # sky blue
    "io": "#009E73",         # bluish green
    "wait_lock": "#D55E00",  # vermillion
    "hold_lock": "#E69F00",  # orange
    "blocked": "#A0A0A0",    # grey
    "runnable": "#CC79A7",   # reddish purple
    "parked": "#F0E442",     # yellow: step mode, a thread waiting for the learner's choice
}
KIND_NAMES = {
    "run": "running",
    "sleep": "sleeping",
    "io": "waiting on I/O",
    "wait_lock": "waiting for a lock",
    "hold_lock": "holding a lock",
    "blocked": "blocked (join, pool, queue)",
    "runnable": "runnable (ready, waiting for a CPU or the GIL: in gil_cpu_bound, off a CPU "
                "while a sibling thread runs Python)",
    "parked": "waiting for you (step mode: the thread waits at a switch point until you choose "
              "it; the time is yours, not the thread's)",
}
OTHER_KIND = "#999933"  # olive, for kinds a later lesson adds
# The OS's view: a thread's CPU share, drawn as a dark strip on a pale track under its row.
CPU_COLOUR = "#333333"
CPU_TRACK = "#E6E6E6"
# The same on the dark theme: a pale strip on a dark track.
DARK_CPU_COLOUR = "#C8C8C8"
DARK_CPU_TRACK = "#3A3A3A"

# Readable on white, distinct from each other; the first is for the lesson's main thread.
WORKER_COLOURS = ["#222222", "#0072B2", "#009E73", "#AD1457", "#8E44AD", "#D35400",
                  "#16A085", "#7F8C8D", "#2C3E50", "#B7950B"]
STDERR_COLOUR = "#C62828"
BAD = STDERR_COLOUR  # what went wrong in a result: an update lost, an error
LAB_COLOUR = "#6A1B9A"
DIM = "#555555"  # secondary words: names of values, hints, the words while waiting
# A figure that cannot be taken at face value (a result's "caveat"): said in amber.
CAVEAT = "#B26A00"

# WCAG contrast ratios against the background: 4.5 for text, 3 for lines and marks.
TEXT_CONTRAST, LINE_CONTRAST = 4.5, 3.0
# Each step towards white, when a colour is too dark for the dark background.
LIGHTEN_STEP = 0.1


def kind_colour(kind: str) -> str:
    """The colour of a span kind."""
    return KIND_COLOURS.get(kind, OTHER_KIND)


def worker_colour(order: int) -> str:
    """The text colour of the worker with this first-seen order, readable in the current look.

    The main thread's is the look's own text colour (#222 on white, as listed).
    """
    index = order % len(WORKER_COLOURS)
    return look.current().foreground if index == 0 else readable(WORKER_COLOURS[index])


def cpu_colours() -> tuple[str, str]:
    """(strip, track) colours of the CPU share under each timeline row, in the current look."""
    return (DARK_CPU_COLOUR, DARK_CPU_TRACK) if look.current().dark else (CPU_COLOUR, CPU_TRACK)


def ink() -> str:
    """The colour of marks and captions drawn on a plot (black on light, white on dark)."""
    return "#FFFFFF" if look.current().dark else "#000000"


def readable(colour: str, contrast: float = TEXT_CONTRAST) -> str:
    """`colour`, lightened just enough to read on the current background.

    Unchanged on light: every colour here was chosen for white.
    """
    current = look.current()
    if not current.dark:
        return colour
    return _lightened(colour, contrast, current.background)


@functools.lru_cache(maxsize=256)
def _lightened(colour: str, contrast: float, background_colour: str) -> str:
    # cached: the console asks for each line it shows, on the GUI thread
    background = luminance(background_colour)
    mixed, towards_white = colour, 0.0
    while contrast_ratio(luminance(mixed), background) < contrast and towards_white < 1.0:
        towards_white = min(1.0, towards_white + LIGHTEN_STEP)
        mixed = mix(colour, "#FFFFFF", towards_white)
    return mixed


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` (0..1) of `other` mixed in, as #RRGGBB."""
    a, b = rgb(colour), rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def rgb(colour: str) -> tuple[int, int, int]:
    """The red, green and blue (0..255) of a #RRGGBB or #RGB colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    """The relative luminance of a colour (WCAG 2)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(l1: float, l2: float) -> float:
    """The WCAG contrast ratio of two luminances (1 to 21)."""
    high, low = max(l1, l2), min(l1, l2)
    return (high + 0.05) / (low + 0.05)
