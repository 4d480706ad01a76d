"""Step mode on real threads: a schedule decides the interleaving, and so the outcome."""

from __future__ import annotations

import threading
import time

import pytest

from scenarios.engine import backends, stepping
from scenarios.engine.exploring import explore, run_schedule
from scenarios.engine.stepping import ScheduleError, Stepper, parse_schedule
from scenarios.lessons import catalogue
from tests.support import child_processes, leftovers

RACE = catalogue.get("race_counter")
DEADLOCK = catalogue.get("deadlock")
ONE_EACH = {"threads": 2, "increments": 1}


def race(schedule: list[int], **values):
    """race_counter stepped on the schedule: (what it played, the lesson's result values)."""
    played, result = run_schedule(RACE, RACE.resolve({**ONE_EACH, **values}), schedule)
    assert result is not None and result.error is None, result
    return played, result.values


def test_both_read_then_both_write_loses_one_update() -> None:
    played, values = race([1, 2, 1, 2])
    assert [(s.name, s.point) for s in played.steps] == [
        ("Thread 1", "read x"), ("Thread 2", "read x"),
        ("Thread 1", "write x"), ("Thread 2", "write x")]
    assert [s.values["x"] for s in played.steps] == [0, 0, 1, 1]  # both write 1
    assert (values["actual"], values["lost_updates"]) == (1, 1)


def test_one_after_the_other_loses_nothing() -> None:
    played, values = race([1, 1, 2, 2])
    assert [s.values["x"] for s in played.steps] == [0, 1, 1, 2]  # thread 2 reads thread 1's 1
    assert (values["actual"], values["lost_updates"]) == (2, 0)


def test_a_schedule_always_means_one_outcome() -> None:
    outcomes = {(tuple(schedule), race(schedule)[1]["actual"])
                for schedule in ([1, 2, 1, 2], [1, 1, 2, 2]) for _ in range(15)}
    assert outcomes == {((1, 2, 1, 2), 1), ((1, 1, 2, 2), 2)}


def test_where_the_schedule_ends_the_lowest_numbered_thread_goes_on() -> None:
    played, values = race([2])
    assert played.schedule == [2, 1, 1, 2]
    assert values["actual"] == 1


def test_a_thread_waiting_for_a_lock_cannot_be_chosen_and_says_why() -> None:
    with pytest.raises(ScheduleError, match=r"step 2 \(2\): Thread 2 waits for x lock, held by "
                                            r"Thread 1"):
        race([1, 2], use_lock=True)


@pytest.mark.parametrize(("schedule", "why"), [
    ([1, 9], r"step 2 \(9\): there is no thread 9 \(threads: 1, 2\)"),
    ([1, 1, 1], r"step 3 \(1\): Thread 1 has finished"),
])
def test_a_step_that_cannot_be_taken_is_named(schedule, why) -> None:
    with pytest.raises(ScheduleError, match=why):
        race(schedule)


def test_opposite_lock_orders_deadlock_and_the_cycle_is_named() -> None:
    params = DEADLOCK.resolve({"transfers": 1, "work_s": 0.0})
    played, result = run_schedule(DEADLOCK, params, [1, 2])
    assert played.deadlock == ("deadlock: Thread 1 holds lock A and waits for lock B, held by "
                               "Thread 2; Thread 2 holds lock B and waits for lock A, held by "
                               "Thread 1")
    assert result is not None and result.stopped  # the run was ended, nothing left


def test_explore_counts_every_schedule_of_a_small_race() -> None:
    explored = explore(RACE, RACE.resolve({"threads": 2, "increments": 2}))
    counts = explored.counts()
    assert explored.complete and sum(counts.values()) == explored.schedules() == 70  # C(8, 4)
    assert set(counts) == {"x = 2, 2 lost", "x = 3, 1 lost", "x = 4"}
    assert explored.runs + explored.pruned == 70 and explored.pruned > 0
    locked = explore(RACE, RACE.resolve({"threads": 2, "increments": 2, "use_lock": True}))
    assert set(locked.counts()) == {"x = 4"}


def test_explore_finds_deadlocks_only_without_lock_ordering() -> None:
    params = {"transfers": 1, "work_s": 0.0}
    assert explore(DEADLOCK, DEADLOCK.resolve(params)).counts()["deadlock"] > 0
    ordered = explore(DEADLOCK, DEADLOCK.resolve({**params, "lock_ordering": True}))
    assert "deadlock" not in ordered.counts()


def test_stop_ends_a_run_whose_threads_wait_at_their_points_within_a_second() -> None:
    threads_before, pids_before = set(threading.enumerate()), {p.pid for p in child_processes()}
    run = backends.make_run(RACE, RACE.resolve(ONE_EACH), "thread")
    run.stepper = stepper = Stepper()
    run.start()
    stepper.settle()
    assert [part.label() for part in stepper.runnable()] == ["Thread 1 → read x x = 0",
                                                            "Thread 2 → read x x = 0"]
    started = time.perf_counter()
    run.stop()
    assert run.wait(1.0) and time.perf_counter() - started < 1.0
    assert leftovers(threads_before, pids_before) == ([], [])


def test_a_point_outside_step_mode_does_nothing() -> None:
    assert Stepper().point("read x", {"x": 1}) is False  # not a stepped thread
    played, values = race([])
    assert values["actual"] == 2  # the default rule alone: one thread after the other


def test_a_schedule_is_thread_numbers() -> None:
    assert parse_schedule("1,2, 1 2") == [1, 2, 1, 2] and parse_schedule("") == []
    for bad in ("1,a", "0", "-1"):
        with pytest.raises(ValueError, match="is not a thread number"):
            parse_schedule(bad)
    assert stepping.Step(1, "Thread 1", "read x", {"x": 0}).to_json()["point"] == "read x"


def test_a_stepped_run_reports_its_schedule() -> None:
    _, values = race([1, 2, 1, 2])
    assert values["schedule"] == "1 2 1 2"


@pytest.mark.parametrize(("lesson", "values"), [
    (RACE, {"threads": 2, "increments": 2}), (RACE, {"threads": 3, "increments": 1}),
    (DEADLOCK, {"transfers": 2, "work_s": 0.0})])
def test_pruning_runs_fewer_schedules_and_changes_no_count(monkeypatch, lesson, values) -> None:
    params = lesson.resolve(values)
    pruned = explore(lesson, params)
    monkeypatch.setattr(Stepper, "fingerprint", lambda self: None)  # every schedule run
    every = explore(lesson, params)
    assert every.pruned == 0 and every.runs == every.schedules()
    assert pruned.runs < every.runs and pruned.runs + pruned.pruned == every.runs
    assert (pruned.counts(), pruned.examples()) == (every.counts(), every.examples())
