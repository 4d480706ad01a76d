"""What a lesson declares: id, title, text, typed parameters, the code it runs."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from scenarios.model.params import Param, parse_assignments, resolve
from scenarios.model.tries import Try

SECTIONS = ("Threads", "Synchronisation", "Processes", "Pools and executors", "Beyond",
            "Beyond one machine")


@dataclass(frozen=True)
class LessonText:
    """The three parts of a lesson's explanation, in plain words."""

    watch: str
    try_: str
    why: str


@dataclass(frozen=True)
class Headline:
    """The one sentence a result boils down to, and whether it shows the problem or the fix."""

    text: str
    verdict: str = "neutral"  # "good" (fixed, fast, correct), "bad" (lost, wrong), "neutral"


class SpeedupPoint(NamedTuple):
    """One measured speedup over the serial run: which series, with how many workers."""

    series: str  # e.g. "threads", "processes", "Pool.map"
    workers: int
    speedup: float  # serial time / parallel time


class RaceKeys(NamedTuple):
    """The result keys a race lesson reports its totals under, for the expected-vs-actual chart."""

    expected: str
    actual: str
    lost: str | None = None  # the updates lost, when it is not simply expected - actual


def race_outcome(shown: str, actual: str, lost: str) -> Callable[[Mapping[str, Any]], str]:
    """A race lesson's outcome in the learner's words: 'x = 3, 1 lost' (`shown` names it)."""
    def outcome(values: Mapping[str, Any]) -> str:
        said = f"{shown} = {values[actual]}"
        return f"{said}, {values[lost]} lost" if values[lost] else said
    return outcome


@dataclass(frozen=True)
class Lesson:
    """A runnable lesson: `run(lab, params) -> result dict`, with what a learner needs beside it."""

    id: str
    title: str
    summary: str
    section: str
    text: LessonText
    params: tuple[Param, ...]
    run: Callable[[Any, Mapping[str, Any]], dict[str, Any]]
    code: tuple[Callable[..., Any], ...] = field(default=())
    result_keys: tuple[str, ...] = ()
    headline: Callable[[dict[str, Any]], Headline] | None = None
    # The speedup points one run's result gives (CPU-bound lessons, where the ideal is the worker
    # count capped at the cores); [] for a result without them (a failed run).
    speedups: Callable[[dict[str, Any]], list[SpeedupPoint]] | None = None
    race: RaceKeys | None = None
    tries: tuple[Try, ...] = ()  # the lesson's "what to try" as a checklist that ticks itself
    # A lesson that measures the window (its Poke tab): an automatic click the window answers
    # later than this counts as missed.
    missed_after_ms: float | None = None
    # What a run ended in, in a few words, for explore's count of every schedule (a race lesson
    # gets one from `race`): "balance = -60, overdrawn".
    outcome: Callable[[Mapping[str, Any]], str] | None = None
    # Packages the lesson's processes import beyond the standard library and the lab
    # (cluster_map: Dask's distributed); another Python without them cannot run it.
    needs: tuple[str, ...] = ()
    # Result keys in the learner's words where the key's own words would mislead ("balance" at
    # the end is not the start balance the panel sets).
    words: Mapping[str, str] = field(default_factory=dict)

    def param(self, name: str) -> Param:
        """The parameter with this name."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def way_param(self) -> Param | None:
        """The parameter that picks the back end (the responsiveness lesson's `way`), if any."""
        return next((p for p in self.params if p.extra.get("backend_of")), None)

    def backend_of(self, params: Mapping[str, Any], default: str) -> str:
        """The back end a run uses: the one named by the way parameter, else `default`."""
        way = self.way_param()
        if way is None:
            return default
        return way.extra["backend_of"][params.get(way.name, way.default)]

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Validated values for every parameter, defaults filled in."""
        return resolve(self.params, given)

    def parse(self, assignments: list[str]) -> dict[str, Any]:
        """Validated values from NAME=VALUE strings."""
        return parse_assignments(self.params, assignments)

    def source(self) -> str:
        """The source of the code this lesson runs, as shown in the code view."""
        parts = []
        for obj in self.code or (self.run,):
            try:
                parts.append(inspect.getsource(obj))
            except (OSError, TypeError):
                parts.append(f"# source of {getattr(obj, '__name__', obj)} is not available\n")
        return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"

    def to_json(self) -> dict[str, Any]:
        """The lesson as plain data (for `list --json`)."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "section": self.section,
            "params": [p.to_json() for p in self.params],
        }
