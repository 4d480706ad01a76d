"""Back ends: every lesson stops within a second on both, leaving nothing; live parameters."""

from __future__ import annotations

import threading
import time

import psutil
import pytest

from scenarios.engine import backends, spawning
from scenarios.engine.events import Line, Mark, Metric, Result, Span, now_ns
from scenarios.lessons import catalogue
from scenarios.model.params import ParamError
from tests.support import (
    RUN_BEFORE_STOP_S,
    assert_stops_cleanly,
    check_stops_within_a_second,
    descendants,
    new_run,
)

BACKENDS = ("thread", "process")
# Parameters that keep each lesson busy for far longer than the test waits before Stop.
LONG = {
    "thread_basics": {"delay_1": 5.0, "delay_2": 5.0, "count": 50},  # over 4 minutes of sleeps
    "race_counter": {"increments": 1_000_000},  # tens of seconds of read, pause, write
    "pool_speedup": {"tasks": 1_000_000},  # about half a minute of serial loop
}


def wait_for(run: backends.Run, seen: list, predicate, timeout: float) -> None:
    """Drain the run's events into `seen` until one satisfies the predicate."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen += run.collector.drain()
        if any(predicate(e) for e in seen):
            return
        if run.finished:
            break
        time.sleep(0.01)
    pytest.fail(f"no matching event within {timeout} s (run finished: {run.finished})")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("lesson_id", list(LONG))
def test_stop_ends_every_lesson_within_a_second(lesson_id: str, backend: str) -> None:
    check_stops_within_a_second(lesson_id, LONG[lesson_id], backend)


def start_pool_of_two(backend: str) -> tuple[backends.Run, list]:
    """Start pool_speedup with two workers and wait until both are up; the run and its events.

    Long enough that Pool.map (about 1 s on two cores) is still running 0.4 s after it begins.
    """
    run = new_run("pool_speedup", {"tasks": 60_000, "pool_size": 2}, backend)
    seen: list = []
    run.start()

    def workers_up(_event: object) -> bool:
        return sum(isinstance(e, Mark) and e.label.startswith("worker up") for e in seen) >= 2

    try:
        wait_for(run, seen, workers_up, 60)
    except BaseException:
        run.close()
        raise
    return run, seen


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_during_pool_map_ends_the_workers(backend: str) -> None:
    """Stop while the pool's workers are busy: they end too, with no orphan left."""
    threads_before = set(threading.enumerate())
    run, seen = start_pool_of_two(backend)
    try:
        time.sleep(RUN_BEFORE_STOP_S)
        workers = [p for p in descendants() if p.pid != getattr(run, "pid", None)]
        assert len(workers) >= 2, "the pool's workers should be running now"
        assert_stops_cleanly(run, seen, threads_before)
    finally:
        run.close()


def test_a_lesson_process_and_its_workers_run_nicer_than_the_window() -> None:
    """The window (here, the test) gets a core before the lesson's processes do."""
    run, _ = start_pool_of_two("process")
    try:
        lesson = psutil.Process(run.pid)
        lesson_and_workers = [lesson, *lesson.children(recursive=True)]
        assert len(lesson_and_workers) >= 3  # the lesson's process and its two workers
        ours = psutil.Process().nice()
        assert all(p.nice() == min(19, ours + spawning.LESSON_NICE) for p in lesson_and_workers)
    finally:
        run.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_live_parameter_change_is_applied_mid_run(backend: str) -> None:
    """Turning use_lock on mid-run: the lab says so, the threads take the lock from then on."""
    run = new_run("race_counter", {"use_lock": False, "increments": 10_000}, backend)
    seen: list = []
    run.start()
    try:
        wait_for(run, seen, lambda e: isinstance(e, Metric) and e.name == "x", 20)
        changed_at = now_ns()
        run.set_param("use_lock", True)
        assert run.params["use_lock"] is True
        assert run.wait(60), "race_counter did not finish"
    finally:
        run.close()
    seen += run.collector.drain()
    assert any(isinstance(e, Line) and e.text == "Use a lock: no → yes" for e in seen)
    holds = [e for e in seen if isinstance(e, Span) and e.kind == "hold_lock"]
    assert holds, "no thread held the lock after use_lock was turned on"
    assert all(span.start >= changed_at for span in holds), "the lock was held before the change"
    result = backends.result_of(seen)
    assert result is not None and not result.stopped and result.error is None
    assert result.values["use_lock"] is True


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_change_is_marked_on_the_main_row(backend: str) -> None:
    """The timeline gets a tick 'name: old → new' on the thread that runs the lesson."""
    run = new_run("race_counter", {"increments": 10_000}, backend)
    seen: list = []
    run.start()
    try:
        wait_for(run, seen, lambda e: isinstance(e, Metric) and e.name == "x", 20)
        run.set_param("race_window", 0.5)
        wait_for(run, seen, lambda e: isinstance(e, Mark) and "→" in e.label, 10)
    finally:
        run.close()
    seen += run.collector.drain()
    mark = next(e for e in seen if isinstance(e, Mark) and "→" in e.label)
    assert mark.label == "Race window: 0 → 0.5 ms"
    assert mark.worker.name == "main"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_loop_runs_round_after_round_with_the_live_values(backend: str) -> None:
    """Loop mode: each round reports its own result; rounds after the lock goes on lose none."""
    run = new_run("race_counter", {"increments": 2_000}, backend, loop=True)
    seen: list = []
    run.start()
    try:
        def rounds() -> list:
            return [e for e in seen if isinstance(e, Result) and not e.stopped]

        wait_for(run, seen, lambda _e: len(rounds()) >= 2, 30)
        run.set_param("use_lock", True)
        changed = len(rounds())
        wait_for(run, seen, lambda _e: len(rounds()) >= changed + 3, 30)
    finally:
        run.close()
    seen += run.collector.drain()
    done = rounds()
    assert [r.values["round"] for r in done] == list(range(1, len(done) + 1))
    assert all(r.values["lost_updates"] > 0 for r in done[:2]), "no update lost without the lock"
    # the round running at the change may have lost some; every later one loses none
    assert all(r.values["lost_updates"] == 0 for r in done[changed + 1:])
    last = backends.result_of(seen)
    assert last is not None and last.stopped, "a loop ends only when stopped"
    assert any(isinstance(e, Line) and e.text.startswith("round 1: expected 4,000") for e in seen)


def test_the_ui_back_end_refuses_a_loop() -> None:
    with pytest.raises(ValueError, match="cannot loop"):
        new_run("race_counter", {}, "ui", loop=True)


def test_set_param_refuses_what_cannot_change_or_is_invalid() -> None:
    run = new_run("race_counter", {}, "thread")  # not started: nothing to clean up
    with pytest.raises(ValueError, match="threads cannot be changed while the lesson runs"):
        run.set_param("threads", 4)
    with pytest.raises(ParamError, match="race_window must be a number from 0 to 5 ms, got 9"):
        run.set_param("race_window", 9)
    with pytest.raises(KeyError):
        run.set_param("colour", "red")
    assert run.params["race_window"] == 0.0


def test_make_run_checks_backend_lesson_and_params() -> None:
    with pytest.raises(ValueError, match="backend must be one of thread, process, ui"):
        new_run("race_counter", {}, "gpu")
    with pytest.raises(KeyError, match="no lesson 'nope'"):
        new_run("nope", {}, "thread")
    with pytest.raises(ParamError, match="increments must be an integer from 1 to 1000000"):
        new_run("race_counter", {"increments": 0}, "thread")


def test_make_run_fills_defaults() -> None:
    run = new_run("thread_basics", {"count": 2}, "thread")
    defaults = catalogue.get("thread_basics").resolve({})
    assert run.params == {**defaults, "count": 2}


@pytest.mark.parametrize("backend", BACKENDS)
def test_close_stops_a_running_lesson(backend: str) -> None:
    run = new_run("thread_basics", LONG["thread_basics"], backend)
    run.start()
    run.close()
    assert run.finished


def test_the_thread_back_end_uses_the_given_thread_factory() -> None:
    made: list[threading.Thread] = []

    def factory(target):
        thread = threading.Thread(target=target, name="custom-runner")
        made.append(thread)
        return thread

    run = new_run("thread_basics", {"delay_1": 0, "delay_2": 0, "count": 1}, "thread",
                            thread_factory=factory)
    run.start()
    assert run.wait(10)
    made[0].join(5)
    assert made[0].name == "custom-runner"  # the runner's name is given back when it ends
    assert backends.result_of(run.collector.drain()).stopped is False


def test_the_ui_back_end_runs_on_the_calling_thread() -> None:
    run = new_run("thread_basics", {"delay_1": 0.01, "delay_2": 0.02, "count": 2}, "ui")
    run.start()  # returns when the lesson is over
    assert run.finished
    events = run.collector.drain()
    result = backends.result_of(events)
    assert result is not None and result.error is None and not result.stopped
    main_rows = {e.worker.tid for e in events if isinstance(e, Line) and e.text == "Done"}
    assert main_rows == {threading.get_native_id()}


def test_result_of_takes_the_last_result() -> None:
    from scenarios.engine.events import Result

    first, last = Result(1, {"a": 1}, None, False), Result(2, {"a": 2}, None, True)
    assert backends.result_of([first, Metric("x", 1, 1.0), last]) is last
    assert backends.result_of([Metric("x", 1, 1.0)]) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_live_parameters_can_be_set_before_start_and_after_the_end(backend: str) -> None:
    """The window may move a live slider at any time, not only while a run is going."""
    quick = {"delay_1": 0.01, "delay_2": 0.02, "count": 1, "join": True}
    run = new_run("thread_basics", quick, backend)
    run.set_param("join", False)  # before start: the run starts with it
    run.start()
    try:
        assert run.wait(30)
    finally:
        run.close()
    result = backends.result_of(run.collector.drain())
    assert result is not None and result.values["done_after_threads"] is False
    run.set_param("join", True)  # after the end: accepted, nothing to send it to
    assert run.params["join"] is True


def _send_and_leave(queue) -> None:
    """A lesson process's last moments: send an event, then leave (see spawning.leave_queue)."""
    queue.put(["last events"])
    spawning.leave_queue(queue)


def test_a_lesson_process_exits_though_a_killed_worker_left_the_queue_locked() -> None:
    """A lesson's process still exits at once when a killed pool worker left the queue locked.

    A pool worker terminated mid-write leaves the queue's write lock taken; the process must not
    hang on it (its Result is then made by the parent).
    """
    ctx = spawning.spawn_context()
    queue = ctx.Queue()
    queue._wlock.acquire()  # as the terminated worker left it
    process = ctx.Process(target=_send_and_leave, args=(queue,))
    started = time.perf_counter()
    process.start()
    process.join(10)
    took = time.perf_counter() - started
    try:
        assert process.exitcode == 0, "the process hung on its queue and had to be killed"
        assert took < spawning.LEAVE_WAIT_S + 2.5  # spawn (about 1 s) + the bounded wait
    finally:
        if process.is_alive():
            process.kill()
        queue._wlock.release()
        queue.close()
