"""The lessons the lab offers, in teaching order."""

from __future__ import annotations

import importlib

from scenarios.lesson import SECTIONS, Lesson

# Module names under `scenarios`, in teaching order; each defines a module-level `LESSON`.
LESSON_MODULES = ("thread_basics", "race_counter", "process_isolation", "pool_speedup")

_cache: dict[str, Lesson] = {}


def lessons() -> list[Lesson]:
    """Every lesson, grouped by section in teaching order."""
    if not _cache:
        for module in LESSON_MODULES:
            lesson = importlib.import_module(f"scenarios.{module}").LESSON
            _cache[lesson.id] = lesson
    order = {section: i for i, section in enumerate(SECTIONS)}
    return sorted(_cache.values(), key=lambda lesson: order[lesson.section])


def get(lesson_id: str) -> Lesson:
    """The lesson with this id, or KeyError with the known ids."""
    for lesson in lessons():
        if lesson.id == lesson_id:
            return lesson
    known = ", ".join(lesson.id for lesson in lessons())
    raise KeyError(f"no lesson {lesson_id!r} (known: {known})")
