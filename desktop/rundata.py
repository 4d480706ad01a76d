"""What the views draw: a run's events sorted into rows, spans by kind, lines, metrics (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenarios.events import Event, Line, Mark, Metric, Result, Span, Table

# Marks every thread makes; the others (an exception, "main ended", a deadlock) get a caption.
ROUTINE_MARKS = ("started", "finished", "stopped", "worker up", "joined")
# Captions beyond this many would only cover each other.
MAX_NOTES = 40


@dataclass
class Row:
    """One timeline row: a thread of a process."""

    pid: int
    tid: int
    name: str
    order: int  # first-seen order, stable for the whole run


@dataclass
class SpanColumns:
    """Spans of one kind as growing columns (worker order, start s, end s, label)."""

    rows: list[int] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def add(self, row: int, start: float, end: float, label: str) -> None:
        """Append one span."""
        self.rows.append(row)
        self.starts.append(start)
        self.ends.append(end)
        self.labels.append(label)


class RunData:
    """Accumulates a run's events for drawing; times are seconds from the run's start."""

    def __init__(self, t0: int, lesson_id: str = "", backend: str = "") -> None:
        self.t0 = t0
        self.lesson_id = lesson_id
        self.backend = backend
        self.rows: dict[tuple[int, int], Row] = {}
        self._pids: list[int] = []
        self.spans: dict[str, SpanColumns] = {}
        self.marks = SpanColumns()  # starts hold the time; ends are unused
        self.notes: list[tuple[int, float, str]] = []  # marks worth their words on the timeline
        self.lines: list[Line] = []
        self._new_lines = 0
        self.metrics: dict[str, tuple[list[float], list[float]]] = {}
        self.dirty_metrics: set[str] = set()
        self.result: Result | None = None
        self.tables: dict[str, Table] = {}  # the newest table of each name
        self.tables_dirty = False
        self.dirty_kinds: set[str] = set()
        self.marks_dirty = False
        self.rows_dirty = False
        self.latest_s = 0.0
        # The time span touched by events since the views last drew (None: nothing new).
        self.fresh: list[float] | None = None

    def seconds(self, ns: int) -> float:
        """A clock stamp as seconds from the run's start."""
        return (ns - self.t0) / 1e9

    def touch(self, start_s: float, end_s: float) -> None:
        """Note that the stretch start_s..end_s has something new to draw."""
        if self.fresh is None:
            self.fresh = [start_s, end_s]
        else:
            self.fresh[0] = min(self.fresh[0], start_s)
            self.fresh[1] = max(self.fresh[1], end_s)

    def take_fresh(self) -> tuple[float, float] | None:
        """The stretch touched since the last call, if any."""
        fresh, self.fresh = self.fresh, None
        return (fresh[0], fresh[1]) if fresh else None

    def row_of(self, worker: Any) -> int:
        """The stable index of a worker's row, adding the row on first sight."""
        key = (worker.pid, worker.tid)
        row = self.rows.get(key)
        if row is None:
            if worker.pid not in self._pids:
                self._pids.append(worker.pid)
            row = self.rows[key] = Row(worker.pid, worker.tid, worker.name, len(self.rows))
            self.rows_dirty = True
        elif row.name != worker.name:
            row.name = worker.name
            self.rows_dirty = True
        return row.order

    def add(self, events: list[Event]) -> None:
        """Sort a batch of events into the run's data."""
        for event in events:
            kind = type(event)
            if kind is Span:
                cols = self.spans.setdefault(event.kind, SpanColumns())
                start, end = self.seconds(event.start), self.seconds(event.end)
                cols.add(self.row_of(event.worker), start, end, event.label)
                self.dirty_kinds.add(event.kind)
                self.latest_s = max(self.latest_s, end)
                self.touch(start, end)
            elif kind is Mark:
                self._add_mark(event.worker, event.time, event.label)
                if not event.label.startswith(ROUTINE_MARKS) and len(self.notes) < MAX_NOTES:
                    self.notes.append((self.row_of(event.worker), self.seconds(event.time),
                                       event.label))
            elif kind is Line:
                self.lines.append(event)
                if event.worker.pid:  # a printed line is also a tick on its thread's row
                    self._add_mark(event.worker, event.time, event.text)
            elif kind is Metric:
                times, values = self.metrics.setdefault(event.name, ([], []))
                times.append(self.seconds(event.time))
                values.append(event.value)
                self.dirty_metrics.add(event.name)
            elif kind is Table:
                self.tables[event.name] = event
                self.tables_dirty = True
            elif kind is Result:
                self.result = event

    def _add_mark(self, worker: Any, stamp: int, label: str) -> None:
        at = self.seconds(stamp)
        self.marks.add(self.row_of(worker), at, 0.0, label)
        self.marks_dirty = True
        self.touch(at, at)

    def _ordered_rows(self) -> list[Row]:
        """Rows grouped by process: the lesson's main process first, then in order of arrival."""
        main_pids = [r.pid for r in self.rows.values() if r.name == "main"]

        def key(row: Row) -> tuple[bool, int, bool, int]:
            return (row.pid not in main_pids, self._pids.index(row.pid), row.name != "main",
                    row.order)

        return sorted(self.rows.values(), key=key)

    def display_order(self) -> np.ndarray:
        """For each stable row index, its position on screen: rows grouped by process."""
        ordered = self._ordered_rows()
        positions = np.empty(len(ordered), dtype=float)
        for position, row in enumerate(ordered):
            positions[row.order] = position
        return positions

    def row_labels(self) -> list[tuple[int, str]]:
        """(screen position, label) for every row, e.g. 'Thread 1 · pid 123'."""
        ordered = self._ordered_rows()
        return [(i, f"{row.name} · {row.pid}") for i, row in enumerate(ordered)]

    def take_new_lines(self) -> list[Line]:
        """Console lines that arrived since the last call."""
        new = self.lines[self._new_lines:]
        self._new_lines = len(self.lines)
        return new

    def metric(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """A metric's times and values as arrays."""
        times, values = self.metrics.get(name, ([], []))
        return np.asarray(times, dtype=float), np.asarray(values, dtype=float)

    def metric_names(self, prefix: str) -> list[str]:
        """Names of metrics starting with `prefix`, in natural order."""
        names = [n for n in self.metrics if n.startswith(prefix)]
        return sorted(names, key=lambda n: (len(n), n))
