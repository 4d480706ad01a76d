"""Every interleaving of a small lesson run, each run for real, and what each one ended in.

Schedules that reach the same state (stepping.Stepper.fingerprint: every thread's point, values
and progress, the locks, the lesson's shared state) go on alike, so only the first is run on from
there; the others are counted with its outcomes ("pruned"). A lesson that names no shared state
has every schedule run.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scenarios.engine import backends, stepping
from scenarios.engine.events import Result
from scenarios.model.lesson import Lesson

# More runs than this and the exploration stops, saying so (3 threads x 3 increments of
# race_counter, 17 million schedules, takes 11,206).
MAX_RUNS = 20_000
# How long a stepped run may take to end after its last step (or after a deadlock's Stop).
END_WAIT_S = 5.0

Schedule = tuple[int, ...]


@dataclass
class Node:
    """A settled state reached by one schedule prefix: who could go on, and how it ended."""

    choices: list[int] = field(default_factory=list)
    outcome: str | None = None  # set where the run ended
    same_as: Schedule | None = None  # an earlier prefix that reached the same state


@dataclass
class Explored:
    """Every schedule's outcome; per outcome, how many schedules and the shortest example."""

    nodes: dict[Schedule, Node] = field(default_factory=dict)
    runs: int = 0  # lesson runs made
    complete: bool = True  # False if MAX_RUNS stopped it

    def counts(self) -> Counter[str]:
        """How many schedules end in each outcome (the pruned ones counted too)."""
        return Counter({outcome: count for outcome, (count, _) in self._ends().items()})

    def examples(self) -> dict[str, list[int]]:
        """The shortest schedule of each outcome (of those, the first in number order)."""
        return {outcome: list(shortest) for outcome, (_, shortest) in self._ends().items()}

    def schedules(self) -> int:
        """How many schedules there are (as far as explored)."""
        return sum(self.counts().values())

    @property
    def pruned(self) -> int:
        """Schedules counted without being run: their state was reached by another first."""
        return max(0, self.schedules() - self.runs)

    def _ends(self) -> dict[str, tuple[int, Schedule]]:
        """Per outcome: how many schedules end in it, and the shortest of them."""
        ends: dict[Schedule, dict[str, tuple[int, Schedule]]] = {}
        stack: list[tuple[Schedule, bool]] = [((), False)]
        while stack:  # depth first, each node after what lies below it (runs may be long)
            at, below_done = stack.pop()
            if at in ends:
                continue
            node = self.nodes.get(at)
            after = [node.same_as] if node and node.same_as is not None else \
                [at + (n,) for n in node.choices] if node else []
            if not below_done:
                stack.append((at, True))
                stack.extend((next_at, False) for next_at in after if next_at not in ends)
                continue
            ends[at] = self._gather(at, node, after, ends)
        return ends[()]

    @staticmethod
    def _gather(at: Schedule, node: Node | None, after: list[Schedule],
                ends: dict[Schedule, dict[str, tuple[int, Schedule]]]
                ) -> dict[str, tuple[int, Schedule]]:
        """A node's ends: its own outcome, or those below it (the rest of a schedule, from it)."""
        if node is None:
            return {}  # not explored (the limit stopped it)
        if node.same_as is not None:
            return ends.get(node.same_as, {})  # its future is that state's
        gathered: dict[str, tuple[int, Schedule]] = {}
        if node.outcome is not None:
            gathered[node.outcome] = (1, ())
        for next_at in after:
            for outcome, (count, rest) in ends.get(next_at, {}).items():
                suffix = next_at[len(at):] + rest
                known = gathered.get(outcome)
                if known is None:
                    gathered[outcome] = (count, suffix)
                else:
                    gathered[outcome] = (known[0] + count,
                                         min(known[1], suffix, key=lambda s: (len(s), s)))
        return gathered


def run_schedule(lesson: Lesson, params: Mapping[str, Any], schedule: list[int],
                 backend: str = "thread",
                 visit: stepping.Visit | None = None) -> tuple[stepping.Played, Result | None]:
    """Run the lesson once in step mode on the back end (thread or process), on this schedule."""
    run = backends.make_run(lesson, params, backend)
    run.stepper = stepper = stepping.Stepper()
    run.start()
    try:
        played = stepping.play(stepper, schedule, visit)
    except BaseException:
        run.close()
        raise
    if played.deadlock or played.cut:
        run.stop()  # the parked threads end; the run says stopped
    run.wait(END_WAIT_S)
    return played, backends.result_of(run.collector.drain())


def outcome_of(lesson: Lesson, played: stepping.Played, result: Result | None) -> str:
    """What a schedule ended in, in a few words: a deadlock, an error, or the lesson's result."""
    if played.deadlock:
        return "deadlock"
    if result is None or result.error:
        return f"error: {result.error if result else 'no result'}"
    if lesson.outcome is not None:
        return lesson.outcome(result.values)
    race = lesson.race
    if race is not None:
        said = f"{race.actual} = {result.values.get(race.actual)}"
        lost = result.values.get(race.lost) if race.lost else None
        return f"{said}, {lost} lost" if lost else said
    return "finished"


def explore(lesson: Lesson, params: Mapping[str, Any], limit: int = MAX_RUNS,
            backend: str = "thread", stop: threading.Event | None = None,
            into: Explored | None = None) -> Explored:
    """Run every schedule (depth first), each for real; stop after `limit` runs, or on `stop`.

    Each run takes the given prefix, then the lowest-numbered runnable thread each time; every
    other thread that could have run at a step past the prefix is a new prefix to run. A run
    that reaches a state an earlier one reached is ended there (its future is that one's).
    `into` is filled as the runs go (a window shows its progress).
    """
    explored = into if into is not None else Explored()
    seen: dict[Any, Schedule] = {}

    def visit(schedule: list[int], stepper: stepping.Stepper) -> bool:
        prefix = tuple(schedule)
        node = explored.nodes.setdefault(prefix, Node())
        node.choices = [part.number for part in stepper.runnable()]
        fingerprint = stepper.fingerprint()
        if fingerprint is None:
            return True
        first = seen.setdefault(fingerprint, prefix)
        if first != prefix:
            node.same_as, node.choices = first, []
            return False
        return True

    pending: list[list[int]] = [[]]
    while pending:
        if explored.runs >= limit or (stop is not None and stop.is_set()):
            explored.complete = False
            break
        prefix = pending.pop()
        played, result = run_schedule(lesson, params, prefix, backend, visit)
        explored.runs += 1
        schedule = played.schedule
        if not played.cut:
            explored.nodes[tuple(schedule)].outcome = outcome_of(lesson, played, result)
        for index in range(len(schedule) - 1, len(prefix) - 1, -1):
            for other in played.choices[index]:
                if other != schedule[index]:
                    pending.append(schedule[:index] + [other])
    return explored
