"""Step mode across processes: threads of a lesson's process, and lesson processes, stepped."""

from __future__ import annotations

import os
import threading
import time

import pytest

from scenarios.engine import backends
from scenarios.engine.exploring import explore, run_schedule
from scenarios.engine.stepping import ScheduleError, Stepper
from scenarios.lessons import catalogue
from tests.support import child_processes, leftovers

RACE = catalogue.get("race_counter")
BANK = catalogue.get("process_lock")
DEADLOCK = catalogue.get("deadlock")
ONE_EACH = {"threads": 2, "increments": 1}
ONE_UPDATE = {"times": 1, "pause": 0.0, "race_window": 0.0}


def test_race_counter_on_the_process_back_end_keeps_to_its_schedule() -> None:
    params = RACE.resolve(ONE_EACH)
    for schedule, actual in (([1, 2, 1, 2], 1), ([1, 1, 2, 2], 2)):
        for _ in range(3):
            played, result = run_schedule(RACE, params, schedule, "process")
            assert result is not None and result.values["actual"] == actual
            assert played.schedule == schedule
    assert [(s.name, s.point, s.values["x"]) for s in played.steps] == [
        ("Thread 1", "read x", 0), ("Thread 1", "write x", 1),
        ("Thread 2", "read x", 1), ("Thread 2", "write x", 2)]


def test_deposit_and_withdraw_step_as_two_real_processes() -> None:
    played, result = run_schedule(BANK, BANK.resolve(ONE_UPDATE), [1, 2, 1, 2])
    names = [step.name for step in played.steps]
    pids = {int(name.split("pid ")[1].rstrip(")")) for name in names}
    assert len(pids) == 2 and os.getpid() not in pids
    assert [s.point for s in played.steps] == ["read balance"] * 2 + ["write balance"] * 2
    assert [s.values["balance"] for s in played.steps] == [200, 200, 201, 199]
    assert result is not None
    assert (result.values["final_balance"], result.values["lost_updates"]) == (199, 1)


def test_a_process_waiting_for_the_lock_cannot_be_chosen() -> None:
    params = BANK.resolve({**ONE_UPDATE, "use_lock": True})
    with pytest.raises(ScheduleError, match=r"step 2 \(2\): withdraw \(pid \d+\) waits for lock, "
                                            r"held by deposit \(pid \d+\)"):
        run_schedule(BANK, params, [1, 2])
    explored = explore(BANK, params)
    assert explored.complete and set(explored.counts()) == {"balance = 200"}


def test_explore_across_processes_finds_the_lost_updates() -> None:
    counts = explore(BANK, BANK.resolve(ONE_UPDATE)).counts()
    assert sum(counts.values()) == 6  # C(4, 2): two processes of two points each
    assert counts["balance = 200"] == 2  # one after the other
    assert counts["balance = 199, 1 lost"] == counts["balance = 201, 1 lost"] == 2


def test_a_deadlock_in_the_lesson_process_is_named() -> None:
    params = DEADLOCK.resolve({"transfers": 1, "work_s": 0.0})
    played, result = run_schedule(DEADLOCK, params, [1, 2], "process")
    assert played.deadlock is not None and "Thread 1 holds lock A" in played.deadlock
    assert result is not None and result.stopped


@pytest.mark.parametrize(("lesson", "params", "backend"), [
    (BANK, ONE_UPDATE, "thread"), (RACE, ONE_EACH, "process"), (BANK, ONE_UPDATE, "process")])
def test_stop_ends_every_parked_process_within_a_second(lesson, params, backend) -> None:
    threads_before, pids_before = set(threading.enumerate()), {p.pid for p in child_processes()}
    run = backends.make_run(lesson, lesson.resolve(params), backend)
    run.stepper = stepper = Stepper()
    run.start()
    stepper.settle()
    assert len(stepper.runnable()) == 2
    started = time.perf_counter()
    run.stop()
    assert run.wait(1.5) and time.perf_counter() - started < 1.5
    assert leftovers(threads_before, pids_before) == ([], [])
