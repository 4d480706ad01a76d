"""Close repeats of one thread's span joined into one counted bar, so 100,000 stay drawable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scenarios.engine.events import Event, Span, current_worker

# Back-to-back spans of one kind closer than this are drawn as one bar: gaps under half a
# millisecond are invisible on a timeline of seconds, and merging keeps a lock taken 100,000 times
# (or 100,000 tiny pool tasks) drawable.
MERGE_GAP_NS = 500_000
# A merged bar is sent at least this often, so the live view keeps moving.
MAX_MERGED_NS = 50_000_000


class SpanMerger:
    """Joins one thread's close repeats of a span (same kind and label) into one counted bar.

    A thread that alternates quickly between two kinds (holding a lock, waiting for it) gets one
    open bar per kind; both then cover the stretch where it switched between them, and their
    labels say how many spans each stands for.
    """

    def __init__(self, emit: Callable[[Event], None]) -> None:
        self._emit = emit
        self._open: dict[tuple[str, str], list[Any]] = {}  # (kind, label) -> [start, end, count]

    def add(self, kind: str, label: str, start: int, end: int, count: int = 1) -> None:
        """Add a span standing for `count` repeats.

        It extends the open bar of its kind when it follows it closely.
        """
        key = (kind, label)
        bar = self._open.get(key)
        if bar and start - bar[1] <= MERGE_GAP_NS and end - bar[0] <= MAX_MERGED_NS:
            bar[1] = end
            bar[2] += count
            return
        if bar:
            self._send(key, bar)
        self._open[key] = [start, end, count]

    def _send(self, key: tuple[str, str], bar: list[Any]) -> None:
        label = key[1] if bar[2] == 1 else f"{key[1]} ×{bar[2]}"
        self._emit(Span(current_worker(), key[0], bar[0], bar[1], label))

    @property
    def open(self) -> bool:
        """True while some bar is waiting for its next repeat."""
        return bool(self._open)

    def flush(self) -> None:
        """Send every open bar."""
        bars, self._open = self._open, {}
        for key, bar in bars.items():
            self._send(key, bar)
