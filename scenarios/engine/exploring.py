"""Every interleaving of a small lesson run, each run for real, and what each one ended in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scenarios.engine import backends, stepping
from scenarios.engine.events import Result
from scenarios.model.lesson import Lesson

# More schedules than this and the exploration stops, saying so (the sizes are for small runs).
MAX_SCHEDULES = 5000
# How long a stepped run may take to end after its last step (or after a deadlock's Stop).
END_WAIT_S = 5.0


@dataclass
class Outcome:
    """One schedule run to its end: the steps, and what it ended in."""

    schedule: list[int]
    outcome: str
    result: Result | None
    deadlock: str | None


@dataclass
class Explored:
    """Every schedule's outcome; per outcome, how many schedules and the shortest example."""

    runs: list[Outcome] = field(default_factory=list)
    complete: bool = True  # False if MAX_SCHEDULES stopped it

    def counts(self) -> Counter[str]:
        """How many schedules ended in each outcome."""
        return Counter(run.outcome for run in self.runs)

    def examples(self) -> dict[str, list[int]]:
        """The shortest schedule of each outcome (of those, the first in number order)."""
        best: dict[str, list[int]] = {}
        for run in self.runs:
            shown = best.get(run.outcome)
            if shown is None or (len(run.schedule), run.schedule) < (len(shown), shown):
                best[run.outcome] = run.schedule
        return best


def run_schedule(lesson: Lesson, params: Mapping[str, Any], schedule: list[int],
                 backend: str = "thread") -> tuple[stepping.Played, Result | None]:
    """Run the lesson once in step mode on the back end (thread or process), on this schedule."""
    run = backends.make_run(lesson, params, backend)
    run.stepper = stepper = stepping.Stepper()
    run.start()
    try:
        played = stepping.play(stepper, schedule)
    except BaseException:
        run.close()
        raise
    if played.deadlock:
        run.stop()  # the parked threads end; the run says stopped
    run.wait(END_WAIT_S)
    return played, backends.result_of(run.collector.drain())


def outcome_of(lesson: Lesson, played: stepping.Played, result: Result | None) -> str:
    """What a schedule ended in, in a few words: a deadlock, an error, or the lesson's result."""
    if played.deadlock:
        return "deadlock"
    if result is None or result.error:
        return f"error: {result.error if result else 'no result'}"
    race = lesson.race
    if race is not None:
        said = f"{race.actual} = {result.values.get(race.actual)}"
        lost = result.values.get(race.lost) if race.lost else None
        return f"{said}, {lost} lost" if lost else said
    return "finished"


def explore(lesson: Lesson, params: Mapping[str, Any], limit: int = MAX_SCHEDULES,
            backend: str = "thread") -> Explored:
    """Run every schedule (depth first), each for real; stop after `limit` schedules.

    Each run takes the given prefix, then the lowest-numbered runnable thread each time; every
    other thread that could have run at a step past the prefix is a new prefix to run.
    """
    explored = Explored()
    pending: list[list[int]] = [[]]
    while pending:
        if len(explored.runs) >= limit:
            explored.complete = False
            break
        prefix = pending.pop()
        played, result = run_schedule(lesson, params, prefix, backend)
        schedule = played.schedule
        explored.runs.append(Outcome(schedule, outcome_of(lesson, played, result), result,
                                     played.deadlock))
        for index in range(len(schedule) - 1, len(prefix) - 1, -1):
            for other in played.choices[index]:
                if other != schedule[index]:
                    pending.append(schedule[:index] + [other])
    return explored
