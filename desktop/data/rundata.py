"""What the views draw: a run's events sorted into rows, spans by kind, lines, metrics (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from scenarios.engine.events import CHANGE_ARROW, Event, Line, Mark, Metric, Result, Span, Table

# Marks every thread makes; the others (an exception, "main ended", a deadlock) get a caption.
# Ticks without a caption (a loop's "round N" too: the rounds' results have their own chart).
ROUTINE_MARKS = ("started", "finished", "stopped", "worker up", "joined", "round ")
# Captions beyond this many would only cover each other.
MAX_NOTES = 40
# A run keeps its last this many console lines (half as many once it passes them); a printed
# line is a tick on its row for the first MAX_PRINT_MARKS. A script that prints megabytes
# would otherwise fill the memory and the timeline.
MAX_KEPT_LINES = 100_000
MAX_PRINT_MARKS = 5000
# Per-thread CPU metrics from the OS sampler are named THREAD_CPU + "PID:TID".
THREAD_CPU = "thread_cpu:"
# A span of this kind is a slice of a thread on a CPU (scenarios.engine.cpu_lane): it goes in
# the thread's CPU strip, at full height, and in the "on CPU / GIL" lane under the rows, not
# among its bars.
ON_CPU = "on_cpu"
LANE_NAME = "on CPU / GIL"
# The sampler's interval: the start of a thread's first sample, which has no previous one.
CPU_SAMPLE_S = 0.1
# Samples of a thread kept until its row appears (2 minutes at 10 Hz); threads that never get a
# row (the window's own) cost no more than this.
MAX_PENDING_CPU = 1200


@dataclass
class Row:
    """One timeline row: a thread of a process."""

    pid: int
    tid: int
    name: str
    order: int  # first-seen order, stable for the whole run


class Columns:
    """Growing columns of (row, start s, end s, value, label) kept as numpy arrays.

    Appends are amortised (capacity doubles), and the views read whole columns as array views
    without a copy: with 20,000 spans a frame must not rebuild arrays from lists.
    """

    def __init__(self) -> None:
        self._n = 0
        self._rows = np.empty(64, dtype=np.int32)
        self._numbers = np.empty((64, 3), dtype=np.float64)  # start, end, value
        self.labels: list[str] = []

    def __len__(self) -> int:
        return self._n

    def add(self, row: int, start: float, end: float, label: str = "", value: float = 0.0
            ) -> None:
        """Append one entry."""
        if self._n == len(self._rows):
            self._rows = np.resize(self._rows, 2 * self._n)
            self._numbers = np.resize(self._numbers, (2 * self._n, 3))
        self._rows[self._n] = row
        self._numbers[self._n] = (start, end, value)
        self.labels.append(label)
        self._n += 1

    @property
    def rows(self) -> np.ndarray:
        """Each entry's row (the worker's stable index)."""
        return self._rows[: self._n]

    @property
    def starts(self) -> np.ndarray:
        """Each entry's start, seconds from the run's start."""
        return self._numbers[: self._n, 0]

    @property
    def ends(self) -> np.ndarray:
        """Each entry's end, seconds from the run's start."""
        return self._numbers[: self._n, 1]

    @property
    def values(self) -> np.ndarray:
        """Each entry's value (a CPU share; 1.0 for a mark that is a printed line)."""
        return self._numbers[: self._n, 2]


class Series:
    """A growing (time s, value) series kept as numpy arrays (amortised appends, no copies)."""

    def __init__(self) -> None:
        self._n = 0
        self._data = np.empty((64, 2), dtype=np.float64)

    def __len__(self) -> int:
        return self._n

    def add(self, at_s: float, value: float) -> None:
        """Append one value."""
        if self._n == len(self._data):
            self._data = np.resize(self._data, (2 * self._n, 2))
        self._data[self._n] = (at_s, value)
        self._n += 1

    @property
    def times(self) -> np.ndarray:
        """Each value's time, seconds from the run's start."""
        return self._data[: self._n, 0]

    @property
    def values(self) -> np.ndarray:
        """The values."""
        return self._data[: self._n, 1]


class RunData:
    """Accumulates a run's events for drawing; times are seconds from the run's start."""

    def __init__(self, t0: int, lesson_id: str = "", backend: str = "") -> None:
        self.t0 = t0
        self.lesson_id = lesson_id
        self.backend = backend
        self.rows: dict[tuple[int, int], Row] = {}
        # In a loop each round starts new threads with the old names: they share the old rows.
        self.reuse_rows = False
        self._aliases: dict[tuple[int, int], Row] = {}  # (pid, tid) -> the row it shares
        self._pids: list[int] = []
        self.spans: dict[str, Columns] = {}
        self.marks = Columns()  # starts hold the time; value 1.0 marks a printed line's tick
        self.notes: list[tuple[int, float, str]] = []  # marks worth their words on the timeline
        self.lines: list[Line] = []
        self._new_lines = 0
        self.dropped_lines = 0  # the oldest console lines let go (see MAX_KEPT_LINES)
        self._print_marks = 0
        self.metrics: dict[str, Series] = {}
        self.dirty_metrics: set[str] = set()
        self.cpu = Columns()  # per-thread CPU share from the OS: start..end of a sample, share
        self._cpu_last: dict[tuple[int, int], float] = {}  # each thread's last sample time
        self._cpu_pending: dict[tuple[int, int], list[Metric]] = {}  # threads without a row yet
        self.cpu_dirty = False
        self.slices = Columns()  # slices on a CPU (ON_CPU spans): row, start, end, label
        self.slices_dirty = False
        self._slots: dict[int, int] | None = None  # row -> its track in the lane (see slots)
        self.lag = Series()  # the window's event-loop lag during the run, ms
        self.lag_dirty = False
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

    @property
    def pids(self) -> list[int]:
        """The processes seen in the run, in order of arrival."""
        return list(self._pids)

    def row_of(self, worker: Any) -> int:
        """The stable index of a worker's row, adding the row on first sight."""
        key = (worker.pid, worker.tid)
        row = self._row(key)
        if row is None and self.reuse_rows:
            row = self._named_row(worker.pid, worker.name)
            if row is not None:
                self._aliases[key] = row
                if worker.pid not in self._pids:  # its CPU is still sampled
                    self._pids.append(worker.pid)
                self._adopt_cpu(key)
        if row is None:
            if worker.pid not in self._pids:
                self._pids.append(worker.pid)
            row = self.rows[key] = Row(worker.pid, worker.tid, worker.name, len(self.rows))
            self.rows_dirty = True
            self._adopt_cpu(key)
        elif worker.name and row.name != worker.name:  # a lane's slice names no thread
            row.name = worker.name
            self.rows_dirty = True
        return row.order

    def _row(self, key: tuple[int, int]) -> Row | None:
        return self.rows.get(key) or self._aliases.get(key)

    def _named_row(self, pid: int, name: str) -> Row | None:
        """The row of an earlier round's thread of this name, if there is one.

        It is looked for in this process or, for a child process's main thread (a new process
        each round), in any process.
        """
        same = [r for r in self.rows.values() if r.name == name]
        return next((r for r in same if r.pid == pid), None) or next(
            (r for r in same if pid not in self._pids), None)

    def row_key(self, worker: Any) -> tuple[int, int]:
        """(pid, tid) of the row a worker is drawn on: its own, or the one it shares."""
        row = self._row((worker.pid, worker.tid))
        return (row.pid, row.tid) if row is not None else (worker.pid, worker.tid)

    @property
    def thread_keys(self) -> list[tuple[int, int]]:
        """(pid, tid) of every thread seen, including those sharing a row."""
        return [*self.rows, *self._aliases]

    def add(self, events: list[Event]) -> None:
        """Sort a batch of events into the run's data."""
        for event in events:
            kind = type(event)
            if kind is Span and event.kind == ON_CPU:
                self._add_slice(event)
            elif kind is Span:
                cols = self.spans.setdefault(event.kind, Columns())
                start, end = self.seconds(event.start), self.seconds(event.end)
                cols.add(self.row_of(event.worker), start, end, event.label)
                self.dirty_kinds.add(event.kind)
                self.latest_s = max(self.latest_s, end)
                self.touch(start, end)
            elif kind is Mark:
                self._add_mark(event.worker, event.time, event.label)
                # a live change is always captioned; other notes only up to MAX_NOTES
                if CHANGE_ARROW in event.label or (not event.label.startswith(ROUTINE_MARKS)
                                                   and len(self.notes) < MAX_NOTES):
                    self.notes.append((self.row_of(event.worker), self.seconds(event.time),
                                       event.label))
            elif kind is Line:
                self._add_line(event)
            elif kind is Metric:
                self._add_metric(event)
            elif kind is Table:
                self.tables[event.name] = event
                self.tables_dirty = True
            elif kind is Result:
                self.result = event

    def _add_line(self, line: Line) -> None:
        """A console line; the oldest go once MAX_KEPT_LINES are kept (a script's flood)."""
        self.lines.append(line)
        self.latest_s = max(self.latest_s, self.seconds(line.time))  # it runs while it prints
        if len(self.lines) > MAX_KEPT_LINES:
            drop = len(self.lines) - MAX_KEPT_LINES // 2  # in one go: not a shift per line
            del self.lines[:drop]
            self._new_lines = max(0, self._new_lines - drop)
            self.dropped_lines += drop
        # a printed line is also a tick on its thread's row (the first MAX_PRINT_MARKS)
        if line.worker.pid and self._print_marks < MAX_PRINT_MARKS:
            self._print_marks += 1
            self._add_mark(line.worker, line.time, line.text, printed=True)
        else:
            at = self.seconds(line.time)
            self.touch(at, at)

    def _add_mark(self, worker: Any, stamp: int, label: str, printed: bool = False) -> None:
        at = self.seconds(stamp)
        self.marks.add(self.row_of(worker), at, at, label, 1.0 if printed else 0.0)
        self.marks_dirty = True
        self.touch(at, at)

    def _add_metric(self, event: Metric) -> None:
        if event.name.startswith(THREAD_CPU):
            self._add_cpu(event)
            return
        self.metrics.setdefault(event.name, Series()).add(self.seconds(event.time), event.value)
        self.dirty_metrics.add(event.name)

    def _add_cpu(self, event: Metric) -> None:
        """A thread's CPU share over the last sample, drawn under its row once it has one."""
        key = thread_of(event.name)
        row = self._row(key)
        if row is None:  # its first span has not arrived yet: keep the last two minutes
            pending = self._cpu_pending.setdefault(key, [])
            pending.append(event)
            del pending[:-MAX_PENDING_CPU]
            return
        end = self.seconds(event.time)
        start = self._cpu_last.get(key, end - CPU_SAMPLE_S)
        self._cpu_last[key] = end
        self.cpu.add(row.order, start, end, "", event.value)
        self.cpu_dirty = True
        self.touch(start, end)

    def _add_slice(self, span: Span) -> None:
        """A slice of a thread on a CPU, seen by a CPU lane: in its strip and in the lane."""
        start, end = self.seconds(span.start), self.seconds(span.end)
        if not len(self.slices):
            self.rows_dirty = True  # the lane is a row of its own
        self.slices.add(self.row_of(span.worker), start, end, span.label, 1.0)
        self.slices_dirty = True
        self._slots = None
        self.touch(start, end)

    def slots(self) -> dict[int, int]:
        """Each row with slices on a CPU -> its track in the lane (0, 1, ...).

        Threads whose slices span overlapping stretches get tracks of their own; later ones
        reuse the tracks of those that ended (a lesson's processes phase after its threads).
        """
        if self._slots is None:
            rows, starts, ends = self.slices.rows, self.slices.starts, self.slices.ends
            spans = sorted((float(starts[rows == r].min()), float(ends[rows == r].max()), int(r))
                           for r in np.unique(rows))
            busy_until: list[float] = []  # per track, the end of its last thread
            self._slots = {}
            for begin, end, row in spans:
                free = next((i for i, until in enumerate(busy_until) if until <= begin),
                            len(busy_until))
                busy_until[free:free + 1] = [end]
                self._slots[row] = free
        return self._slots

    @property
    def lane_position(self) -> int | None:
        """The lane's position on screen (below every row), or None if no lane watched."""
        return len(self.rows) if len(self.slices) else None

    def _adopt_cpu(self, key: tuple[int, int]) -> None:
        for event in self._cpu_pending.pop(key, []):
            self._add_cpu(event)

    def add_lag(self, at_s: float, lag_ms: float) -> None:
        """One probe of the window's event-loop lag during the run."""
        self.lag.add(at_s, lag_ms)
        self.lag_dirty = True

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
        labels = [(i, f"{elided(row.name)} · {row.pid}") for i, row in enumerate(ordered)]
        if self.lane_position is not None:
            labels.append((self.lane_position, LANE_NAME))
        return labels

    def row_at(self, position: int) -> Row | None:
        """The row shown at a screen position, if any."""
        ordered = self._ordered_rows()
        return ordered[position] if 0 <= position < len(ordered) else None

    def take_new_lines(self) -> list[Line]:
        """Console lines that arrived since the last call."""
        new = self.lines[self._new_lines:]
        self._new_lines = len(self.lines)
        return new

    def lines_of(self, row: Row, start_s: float, end_s: float) -> list[Line]:
        """The console lines a worker printed between two times (inclusive)."""
        return [line for line in self.lines
                if self._row((line.worker.pid, line.worker.tid)) is row
                and start_s <= self.seconds(line.time) <= end_s]

    def metric(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """A metric's times and values as arrays."""
        series = self.metrics.get(name) or Series()
        return series.times, series.values

    def metric_names(self, prefix: str) -> list[str]:
        """Names of metrics starting with `prefix`, in natural order."""
        names = [n for n in self.metrics if n.startswith(prefix)]
        return sorted(names, key=lambda n: (len(n), n))


def thread_of(metric_name: str) -> tuple[int, int]:
    """(pid, tid) from a per-thread CPU metric's name, 'thread_cpu:PID:TID'."""
    _, pid, tid = metric_name.split(":")
    return int(pid), int(tid)


# A row's name longer than this is shortened in the middle: the time axis has room for about
# this much beside the process id ("ThreadPoolExecutor-0_1" reads "ThreadP…tor-0_1").
ROW_NAME_MAX = 15


def elided(name: str, limit: int = ROW_NAME_MAX) -> str:
    """The name as a row shows it: whole, or its start and end around an ellipsis."""
    if len(name) <= limit:
        return name
    keep = limit - 1
    return f"{name[:(keep + 1) // 2]}…{name[len(name) - keep // 2:]}"
