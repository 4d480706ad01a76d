"""The run-history arithmetic behind the comparison charts: Amdahl fits, speedup and race points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop.data.analysis import (
    RacePoint,
    amdahl_curve,
    amdahl_fit,
    ideal_speedup,
    race_points,
    speedup_points,
)
from desktop.data.history import RunHistory, RunRecord
from scenarios.lessons import gil_cpu_bound, pool_speedup, process_lock, race_counter


def amdahl(f: float, n: int, cores: int) -> float:
    m = min(n, cores)
    return 1 / (f + (1 - f) / m)


@pytest.mark.parametrize("f", [0.0, 0.05, 0.1, 0.5, 1.0])
def test_the_fit_recovers_the_serial_fraction_of_exact_amdahl_data(f: float) -> None:
    points = [(n, amdahl(f, n, 8)) for n in range(1, 9)]
    assert amdahl_fit(points, cores=8) == pytest.approx(f, abs=1e-9)


def test_workers_beyond_the_cores_count_as_the_cores() -> None:
    """On 2 cores, 4 workers take turns: a flat speedup past 2 is no sign of a serial part."""
    points = [(1, 1.0), (2, 2.0), (3, 2.0), (4, 2.0)]
    assert amdahl_fit(points, cores=2) == pytest.approx(0.0)
    # Not capped, the same points would look like a large serial fraction.
    assert amdahl_fit(points, cores=4) > 0.2


def test_noisy_data_gives_a_close_fit() -> None:
    rng = np.random.default_rng(1)
    points = [(n, amdahl(0.1, n, 8) * (1 + rng.normal(0, 0.02))) for n in range(1, 17)
              for _ in range(3)]
    assert amdahl_fit(points, cores=8) == pytest.approx(0.1, abs=0.02)


def test_no_fit_without_a_point_on_more_than_one_worker_and_core() -> None:
    assert amdahl_fit([], cores=8) is None
    assert amdahl_fit([(1, 1.0), (1, 0.98)], cores=8) is None
    assert amdahl_fit([(4, 3.0)], cores=1) is None


def test_zero_and_broken_speedups_are_left_out() -> None:
    assert amdahl_fit([(2, 0.0), (4, -1.0), (4, math.nan), (4, math.inf)], cores=4) is None
    assert amdahl_fit([(2, 0.0), (2, 2.0)], cores=4) == pytest.approx(0.0)


def test_the_fit_is_clamped_to_a_fraction() -> None:
    assert amdahl_fit([(2, 2.5), (4, 5.0)], cores=4) == 0.0  # superlinear: f < 0 unclamped
    assert amdahl_fit([(2, 0.5), (4, 0.3)], cores=4) == 1.0  # slower than serial: f > 1


def test_the_curve_and_the_ideal_level_off_at_the_cores() -> None:
    workers = np.arange(1, 9)
    assert list(ideal_speedup(workers, 4)) == [1, 2, 3, 4, 4, 4, 4, 4]
    assert ideal_speedup(3, 8) == 3 and ideal_speedup(16, 8) == 8
    curve = amdahl_curve(0.1, 4, workers)
    assert curve == pytest.approx([amdahl(0.1, n, 4) for n in workers])
    assert curve[3] == curve[-1] < 4
    assert amdahl_curve(0.0, 4, workers) == pytest.approx(ideal_speedup(workers, 4))
    assert amdahl_curve(1.0, 4, workers) == pytest.approx(np.ones(8))


def history_of(*runs: tuple[str, dict, str | None]) -> list[RunRecord]:
    history = RunHistory()
    for lesson_id, values, error in runs:
        history.add(lesson_id, "thread", {}, values, error, False, 1.0)
    return history.records


def test_speedup_points_come_from_the_successful_runs_of_the_lesson() -> None:
    records = history_of(
        ("gil_cpu_bound", {"workers": 2, "threads_speedup": 0.98, "processes_speedup": 1.9}, None),
        ("pool_speedup", {"pool_size": 2, "speedup": 1.8, "sweep": []}, None),
        ("gil_cpu_bound", {}, "ZeroDivisionError: boom"),  # failed: no values
        ("gil_cpu_bound", {"workers": 4, "threads_speedup": 1.01, "processes_speedup": 1.95},
         None),
    )
    assert speedup_points(records, gil_cpu_bound.LESSON) == {
        "threads": [(2, 0.98), (4, 1.01)],
        "processes": [(2, 1.9), (4, 1.95)],
    }
    assert speedup_points(records, pool_speedup.LESSON) == {"Pool.map": [(2, 1.8)]}
    assert speedup_points(records, race_counter.LESSON) == {}


def test_a_failed_run_with_values_is_still_left_out() -> None:
    records = history_of(("pool_speedup", {"pool_size": 2, "speedup": 1.8}, "error"))
    assert speedup_points(records, pool_speedup.LESSON) == {}


def test_race_points_come_from_the_successful_runs_of_the_lesson() -> None:
    records = history_of(
        ("race_counter", {"expected": 20000, "actual": 13402, "lost_updates": 6598}, None),
        ("race_counter", {}, "KeyboardInterrupt"),
        ("process_lock", {"expected": 200, "final_balance": 200, "lost_updates": 4}, None),
        ("race_counter", {"expected": 20000, "actual": 20000, "lost_updates": 0}, None),
        ("race_counter", {"expected": 20000}, None),  # no actual: left out
    )
    assert race_points(records, race_counter.LESSON) == [
        RacePoint(1, 20000, 13402, 6598), RacePoint(4, 20000, 20000, 0)]
    # A right balance can hide lost updates: they are counted, not taken from the balance.
    assert race_points(records, process_lock.LESSON) == [RacePoint(3, 200, 200, 4)]
    assert race_points(records, pool_speedup.LESSON) == []
