"""Run-history arithmetic for the comparison charts: speedups, Amdahl's law, race totals (no Qt)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:  # only for type hints: records are duck-typed (number, lesson_id, ok, values)
    from desktop.data.history import RunRecord
    from scenarios.model.lesson import Lesson

Point = tuple[int, float]  # (workers, speedup)


class RacePoint(NamedTuple):
    """One race run's totals: what the count should be, what it is, and the updates lost."""

    run: int  # the run's number in the history
    expected: float
    actual: float
    lost: float


def ideal_speedup(workers: int | Sequence[int] | np.ndarray, cores: int) -> int | np.ndarray:
    """The best speedup n workers can give: n, but no more than the cores."""
    if isinstance(workers, int):
        return min(workers, max(cores, 1))
    return np.minimum(np.asarray(workers), max(cores, 1))


def amdahl_fit(points: Sequence[Point], cores: int) -> float | None:
    """The serial fraction f in S(n) = 1 / (f + (1 - f) / min(n, cores)) that fits best, or None."""
    # Least squares on 1/S, where the model is linear in f: 1/S - 1/m = f (1 - 1/m), m = min(n,
    # cores) since workers beyond the cores only take turns. None: no point with m > 1 to fit.
    num = den = 0.0
    for workers, speedup in points:
        if not (speedup > 0 and math.isfinite(speedup)):
            continue  # a zero or broken timing says nothing about f
        m = min(int(workers), max(cores, 1))
        if m <= 1:
            continue  # one worker runs at the serial speed whatever f is
        a, b = 1 / speedup - 1 / m, 1 - 1 / m
        num += a * b
        den += b * b
    if den == 0:
        return None
    return min(1.0, max(0.0, num / den))


def amdahl_curve(f: float, cores: int, workers: Sequence[int] | np.ndarray) -> np.ndarray:
    """The speedup Amdahl's law gives with serial fraction f at each worker count."""
    m = np.minimum(np.asarray(workers, dtype=float), max(cores, 1))
    return 1 / (f + (1 - f) / m)


def speedup_points(records: Iterable[RunRecord], lesson: Lesson) -> dict[str, list[Point]]:
    """The measured (workers, speedup) points of each series, from the lesson's successful runs."""
    series: dict[str, list[Point]] = {}
    if lesson.speedups is None:
        return series
    for record in records:
        if record.lesson_id != lesson.id or not record.ok:
            continue
        for point in lesson.speedups(record.values):
            if point.workers >= 1 and point.speedup > 0 and math.isfinite(point.speedup):
                series.setdefault(point.series, []).append((point.workers, point.speedup))
    return series


def speedup_caveats(records: Iterable[RunRecord], lesson: Lesson) -> list[tuple[int, str]]:
    """The runs of the lesson whose speedup cannot be taken at face value: (number, why)."""
    if lesson.speedups is None:
        return []
    return [(record.number, str(record.values["caveat"])) for record in records
            if record.lesson_id == lesson.id and record.ok and record.values.get("caveat")]


def race_points(records: Iterable[RunRecord], lesson: Lesson) -> list[RacePoint]:
    """Expected and actual totals (and updates lost) of each successful run of a race lesson."""
    keys = lesson.race
    if keys is None:
        return []
    points = []
    for record in records:
        if record.lesson_id != lesson.id or not record.ok:
            continue
        values = record.values
        try:
            expected, actual = float(values[keys.expected]), float(values[keys.actual])
            lost = float(values.get(keys.lost, expected - actual) if keys.lost
                         else expected - actual)
        except (KeyError, TypeError, ValueError):
            continue  # a result without the totals
        points.append(RacePoint(record.number, expected, actual, lost))
    return points


class WayPoint(NamedTuple):
    """What the window's user felt during the latest run of one way (the responsiveness lesson)."""

    way: str
    run: int  # the run's number in the history
    work: str
    lag_p50: float
    lag_p99: float
    lag_max: float
    clicks_sent: int
    clicks_missed: int


LAG_KEYS = ("ui_lag_p50_ms", "ui_lag_p99_ms", "ui_lag_max_ms")


def way_points(records: Iterable[RunRecord], lesson: Lesson) -> list[WayPoint]:
    """The latest successful run of each way, in the way parameter's order."""
    way = lesson.way_param()
    if way is None:
        return []
    latest: dict[str, WayPoint] = {}
    for record in records:
        values = record.values
        if record.lesson_id != lesson.id or not record.ok:
            continue
        try:
            lags = [float(values[key]) for key in LAG_KEYS]
            point = WayPoint(str(values["way"]), record.number, str(values.get("work", "")),
                             *lags, int(values["clicks_sent"]), int(values["clicks_missed"]))
        except (KeyError, TypeError, ValueError):
            continue  # a run without the window's measures (e.g. opened from elsewhere)
        latest[point.way] = point
    return [latest[name] for name in way.choices if name in latest]
