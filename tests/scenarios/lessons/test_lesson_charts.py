"""What the lessons give the comparison charts: speedup points and race totals from a result."""

from __future__ import annotations

import pytest

from scenarios.lessons import catalogue, gil_cpu_bound, pool_speedup, process_lock, race_counter
from scenarios.model.lesson import RaceKeys, SpeedupPoint


def test_pool_speedup_gives_its_one_point_without_a_sweep() -> None:
    values = {"pool_size": 2, "speedup": 1.87, "cpu_count": 2, "sweep": []}
    assert pool_speedup.LESSON.speedups(values) == [SpeedupPoint("Pool.map", 2, 1.87)]


def test_pool_speedup_gives_every_sweep_row() -> None:
    values = {"pool_size": 2, "speedup": 1.87, "sweep": [
        {"pool_size": 1, "parallel_s": 0.5, "speedup": 0.97},
        {"pool_size": 2, "parallel_s": 0.26, "speedup": 1.9},
        {"pool_size": 3, "parallel_s": 0.27, "speedup": 1.8}]}
    assert pool_speedup.LESSON.speedups(values) == [
        SpeedupPoint("Pool.map", 1, 0.97), SpeedupPoint("Pool.map", 2, 1.9),
        SpeedupPoint("Pool.map", 3, 1.8)]


def test_gil_cpu_bound_gives_a_threads_and_a_processes_point() -> None:
    values = {"workers": 4, "threads_speedup": 0.99, "processes_speedup": 1.93, "serial_s": 2.0}
    assert gil_cpu_bound.LESSON.speedups(values) == [
        SpeedupPoint("threads", 4, 0.99), SpeedupPoint("processes", 4, 1.93)]


@pytest.mark.parametrize("lesson", [pool_speedup.LESSON, gil_cpu_bound.LESSON])
@pytest.mark.parametrize("values", [{}, {"workers": 2}, {"pool_size": 2, "speedup": None},
                                    {"sweep": [{"pool_size": 1}]}])
def test_a_result_without_the_keys_gives_no_points(lesson, values) -> None:
    assert lesson.speedups(values) == []


def test_the_race_lessons_name_their_totals() -> None:
    assert race_counter.LESSON.race == RaceKeys("expected", "actual", "lost_updates")
    assert process_lock.LESSON.race == RaceKeys("expected", "final_balance", "lost_updates")


def test_only_cpu_bound_lessons_chart_speedups_and_only_race_lessons_totals() -> None:
    """Lessons whose tasks may be I/O-bound (io_bound_threads, executors) give no speedups.

    I/O-bound speedups are not capped by the cores, so the chart's ideal line would be wrong.
    """
    lessons = {lesson.id: lesson for lesson in catalogue.lessons()}
    assert {i for i, lesson in lessons.items() if lesson.speedups} == {
        "pool_speedup", "gil_cpu_bound", "free_threading", "cluster_map"}
    assert {i for i, lesson in lessons.items() if lesson.race} == {"race_counter",
                                                                    "process_lock"}


@pytest.mark.parametrize("lesson", [race_counter.LESSON, process_lock.LESSON])
def test_the_race_keys_are_keys_the_lesson_reports(lesson) -> None:
    assert set(lesson.race) <= set(lesson.result_keys)
