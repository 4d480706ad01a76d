"""Parameters for a short run of any lesson (the self-test, the soak and the tests use them)."""

from __future__ import annotations

from typing import Any

from scenarios.model.lesson import Lesson

# Lessons run quick: every duration ("s", "ms") at QUICK_FACTOR of its default and every rate
# ("…/s") at 1 / QUICK_FACTOR, within its range. Scaling them all alike keeps each lesson's
# story (which thread waits for which) while a run takes a fraction of a second.
QUICK_FACTOR = 0.1
# Where that is not enough (work counted in steps, not seconds), these values win.
SMALL_PARAMS: dict[str, dict[str, Any]] = {
    "thread_basics": {"delay_1": 0.05, "delay_2": 0.1, "count": 2},
    "race_counter": {"increments": 300},
    "process_isolation": {"numbers": 2, "delay": 0.05},
    "pool_speedup": {"tasks": 2000, "sweep_tasks": 1000, "rounds": 1},
    "gil_cpu_bound": {"work_m": 1},
    "free_threading": {"work_m": 1, "increments": 20_000},
    "cluster_map": {"items": 1000, "task_size": 100, "rounds": 1, "workers": 2},
}


def quick_params(lesson: Lesson) -> dict[str, Any]:
    """Parameters for a short run of the lesson: durations cut, rates raised, SMALL_PARAMS last."""
    values: dict[str, Any] = {}
    for param in lesson.params:
        unit = param.unit or ""
        if param.kind != "float" or unit not in ("s", "ms") and "/s" not in unit:
            continue
        scaled = param.default * (1 / QUICK_FACTOR if "/s" in unit else QUICK_FACTOR)
        low = param.minimum if param.minimum is not None else scaled
        high = param.maximum if param.maximum is not None else scaled
        values[param.name] = min(max(scaled, low), high)
    given = SMALL_PARAMS.get(lesson.id, {})
    values.update({name: value for name, value in given.items() if _has_param(lesson, name)})
    return values


def _has_param(lesson: Lesson, name: str) -> bool:
    return any(param.name == name for param in lesson.params)
