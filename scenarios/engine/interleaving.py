"""The interleaving table of a stepped run: one row per step, the textbook's picture of a race.

Built from the steps the real threads took: who went on, from which point, holding what, and the
shared state once the step was over. A step whose point is "write NAME" after the same thread's
"read NAME" loses an update when another thread wrote NAME in between: its write wipes that one
out, and that is where the table marks it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scenarios.engine.lab import said
from scenarios.engine.stepping import Step

READ, WRITE = "read", "write"
LOST_WORDS = "✗ update lost"


@dataclass(frozen=True)
class Row:
    """One step as the table shows it."""

    step: int  # 1-based
    thread: int  # the thread's number (its column)
    name: str  # "Thread 1"
    operation: str  # the point it went on from: "read x"
    value: str  # what it read or wrote there, or what it held: "0", "balance = 5"
    shared: str  # the shared state once the step was over: "x = 1"
    lost: bool  # this step's write wiped out another thread's update

    @property
    def cell(self) -> str:
        """The cell's words: 'read x → 0', 'write x ← 1', 'x += 1 (x = 3)'."""
        verb, _, target = self.operation.partition(" ")
        if verb == READ and target:
            return f"{self.operation} → {self.value}"
        if verb == WRITE and target:
            return f"{self.operation} ← {self.value}"
        return f"{self.operation} ({self.value})" if self.value else self.operation

    @property
    def shown(self) -> str:
        """The cell with the lost update marked: 'write x ← 1  ✗ update lost'."""
        return f"{self.cell}  {LOST_WORDS}" if self.lost else self.cell

    def to_json(self) -> dict[str, Any]:
        """The row as the automation report gives it."""
        row = {"step": self.step, "thread": self.thread, "name": self.name,
               "operation": self.operation, "value": self.value, "shared": self.shared}
        if self.lost:
            row["lost"] = True
        return row


def _value(step: Step) -> str:
    """What the step read or wrote (the value its point names), else all it held."""
    _, _, target = step.point.partition(" ")
    if target in step.values:
        return str(step.values[target])
    return said(step.values)


def _lost(steps: Sequence[Step]) -> list[bool]:
    """Which steps lose an update: a write after another thread wrote since this one read."""
    last_read: dict[tuple[int, str], int] = {}  # (thread, name) -> index of its latest read
    writes: dict[str, list[tuple[int, int]]] = {}  # name -> (index, thread) of each write
    lost = []
    for index, step in enumerate(steps):
        verb, _, target = step.point.partition(" ")
        wiped = False
        if verb == READ and target:
            last_read[(step.number, target)] = index
        elif verb == WRITE and target:
            read_at = last_read.get((step.number, target))
            wiped = read_at is not None and any(
                read_at < at and thread != step.number for at, thread in writes.get(target, []))
            writes.setdefault(target, []).append((index, step.number))
        lost.append(wiped)
    return lost


def interleaving(steps: Sequence[Step], shared_now: Mapping[str, Any]) -> list[Row]:
    """The table of these steps; `shared_now` is the shared state after the last one."""
    after = [step.shared for step in steps[1:]] + [dict(shared_now)] if steps else []
    return [Row(index + 1, step.number, step.name, step.point, _value(step), said(state), wiped)
            for index, (step, state, wiped) in enumerate(zip(steps, after, _lost(steps),
                                                             strict=True))]


def as_text(rows: Sequence[Row]) -> str:
    """The table as tab-separated text: a column per thread, then the shared state."""
    threads = sorted({(row.thread, row.name) for row in rows})
    lines = ["\t".join(["step", *(name for _, name in threads), "shared"])]
    for row in rows:
        cells = [row.shown if number == row.thread else "" for number, _ in threads]
        lines.append("\t".join([str(row.step), *cells, row.shared]))
    return "\n".join(lines) + "\n"
