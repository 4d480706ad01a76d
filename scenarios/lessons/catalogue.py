"""The lessons the lab offers, in teaching order."""

from __future__ import annotations

import importlib

from scenarios.model.lesson import SECTIONS, Lesson

# Module names under `scenarios.lessons`, in teaching order within each section; each has `LESSON`.
LESSON_MODULES = (
    # Threads
    "low_level_thread", "thread_basics", "thread_subclass", "thread_exception",
    "thread_introspection", "thread_lifecycle", "io_bound_threads",
    # Synchronisation
    "race_counter", "check_then_act", "event_and_semaphore", "deadlock", "producer_consumer",
    # Processes
    "process_isolation", "shared_value_array", "queues", "process_lock",
    # Pools and executors
    "pool_basics", "pool_speedup", "executors",
    # Beyond
    "gil_cpu_bound", "free_threading", "responsiveness",
    # Beyond one machine
    "cluster_map",
)

_cache: dict[str, Lesson] = {}


def lessons() -> list[Lesson]:
    """Every lesson, grouped by section in teaching order."""
    if not _cache:
        for module in LESSON_MODULES:
            lesson = importlib.import_module(f"scenarios.lessons.{module}").LESSON
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


def ids() -> list[str]:
    """Every lesson's id, in teaching order."""
    return [lesson.id for lesson in lessons()]
