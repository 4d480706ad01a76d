"""cluster_map: the deck's map on a real Dask cluster, a LocalCluster or a scheduler's workers."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from scenarios.engine import backends, interpreters
from scenarios.engine.events import Line, Mark, Span, Table
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when, child_processes, new_run

pytest.importorskip("distributed")

# Small: a run takes a few seconds, most of it the workers' start.
SMALL = {"items": 2000, "task_size": 100, "rounds": 1, "workers": 2}
DASK_START_S = 60.0
# A `dask worker` that cannot import the lab, as on a machine without it.
WITHOUT_THE_LAB = ("import sys; sys.modules['scenarios'] = None; "
                   "from distributed.cli.dask_worker import main; main()")


def worker_spans(events: list) -> list[Span]:
    """The spans drawn from Dask's task stream (a worker thread's computing)."""
    return [e for e in events if isinstance(e, Span) and e.label.startswith("compute f_over")]


def dask_processes() -> list[psutil.Process]:
    """This test's descendants that run Dask (the client process, the workers)."""
    found = []
    for proc in child_processes():
        with contextlib.suppress(psutil.Error):
            if proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
    return found


def test_a_local_cluster_runs_the_tasks_on_both_workers(run_lesson) -> None:
    result, events = run_lesson("cluster_map", SMALL, "thread", timeout=DASK_START_S)
    values = check_finished(result, catalogue.get("cluster_map"))
    assert values["same_results"] is True and values["cluster"] == "LocalCluster"
    assert values["tasks"] == 20 and values["workers_used"] == 2 and values["worker_threads"] == 2
    computed = worker_spans(events)
    assert len(computed) == 20
    assert {s.worker.name for s in computed} == {"worker 1 · t1", "worker 2 · t1"}
    assert len({s.worker.pid for s in computed}) == 2  # two worker processes
    assert all(0 < s.end - s.start < 5e9 for s in computed)
    assert values["cluster_overhead_ms"] >= 0 and values["scheduler_ms_per_task"] >= 0
    assert 0 < values["cluster_busy"] <= 1 and 0 < values["pool_busy"] <= 1
    table = [e for e in events if isinstance(e, Table) and e.name == "rounds"][-1]
    assert table.rows[0][:2] == (100, 20)
    assert not dask_processes()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_address_that_does_not_answer_fails_in_seconds_in_one_line(run_lesson) -> None:
    address = f"tcp://127.0.0.1:{closed_port()}"
    started = time.perf_counter()
    result, _ = run_lesson("cluster_map", {**SMALL, "scheduler": address}, "thread")
    assert time.perf_counter() - started < 10
    assert result.error is not None
    last = result.error.strip().splitlines()[-1]
    assert f"no Dask scheduler answered at {address}: Connection refused" in last


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """A real `dask scheduler` and two `dask worker`s (no nanny) on 127.0.0.1; their address."""
    started: list[subprocess.Popen] = []
    file = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        started.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", "0", "--scheduler-file", str(file), "--no-dashboard"], **quiet))
        deadline = time.monotonic() + DASK_START_S
        while not file.exists() or not file.read_text().strip().endswith("}"):
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.05)
        address = json.loads(file.read_text())["address"]
        for _ in range(2):  # as on another machine: no lab there (its tasks come by value)
            started.append(subprocess.Popen(
                [sys.executable, "-c", WITHOUT_THE_LAB, address, "--nthreads", "1",
                 "--no-nanny", "--no-dashboard"], **quiet))
        yield address, started
    finally:
        for proc in started:
            proc.kill()
        for proc in started:
            proc.wait(10)


def test_a_scheduler_address_runs_the_tasks_on_its_workers(run_lesson, scheduler) -> None:
    address, started = scheduler
    values = {**SMALL, "scheduler": address}
    result, events = run_lesson("cluster_map", values, "process", timeout=DASK_START_S)
    got = check_finished(result, catalogue.get("cluster_map"))
    assert got["cluster"] == address and got["same_results"] is True
    computed = worker_spans(events)
    assert {s.worker.pid for s in computed} == {proc.pid for proc in started[1:]}
    assert got["workers_used"] == 2
    assert all(proc.poll() is None for proc in started)  # the lab leaves others' cluster alone


def test_a_worker_killed_mid_run_is_reported_and_its_tasks_rerun(scheduler) -> None:
    address, started = scheduler
    params = {"items": 20_000, "task_size": 250, "rounds": 1, "scheduler": address}
    victim = started[2]
    run = new_run("cluster_map", params, "thread")
    run.start()
    events: list = []
    try:
        while not any(s.worker.pid == victim.pid for s in worker_spans(events)):
            assert not run.wait(0.02), "the run ended before the victim computed a task"
            events += run.collector.drain()
        victim.kill()  # mid-map: it has computed a task, and 80 are left
        assert run.wait(DASK_START_S)
    finally:
        run.close()
    events += run.collector.drain()
    result = backends.result_of(events)
    values = check_finished(result, catalogue.get("cluster_map"))
    assert values["same_results"] is True
    assert len(values["workers_left"]) == 1 and values["tasks_rerun"] >= 1
    name = values["workers_left"][0]
    said = [e.text for e in events if isinstance(e, Line) and e.stream == "stderr"]
    assert any(f"{name} left the cluster mid-run" in text for text in said)
    assert any(isinstance(e, Mark) and e.label == f"{name} lost" for e in events)


@pytest.mark.parametrize("backend", ["thread", "process"])
def test_stop_mid_map_leaves_no_dask_process(backend: str) -> None:
    params = {"items": 20_000, "task_size": 2, "rounds": 5, "workers": 2}  # 10,000 tasks
    result = check_stop_when("cluster_map", params, backend,
                             lambda events: len(worker_spans(events)) >= 5,
                             timeout=DASK_START_S)
    assert result.stopped
    deadline = time.monotonic() + 1.0
    while dask_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not dask_processes()


def test_items_per_task_changed_mid_run_applies_from_the_next_round() -> None:
    run = new_run("cluster_map", {**SMALL, "rounds": 3}, "thread")
    run.start()
    events: list = []
    try:
        while not any(isinstance(e, Table) and e.name == "rounds" for e in events):
            assert not run.wait(0.02), "the run ended before its first round was in"
            events += run.collector.drain()
        run.set_param("task_size", 500)
        assert run.wait(DASK_START_S)
    finally:
        run.close()
    events += run.collector.drain()
    values = check_finished(backends.result_of(events), catalogue.get("cluster_map"))
    sizes = [(r["task_size"], r["tasks"]) for r in values["rounds"]]
    # round 2 may have read it before the change came: round 3 has it
    assert sizes[0] == (100, 20) and sizes[-1] == (500, 4)
    assert values["same_results"] is True


def test_a_speedup_above_the_cores_of_either_map_is_explained() -> None:
    from scenarios.lessons.cluster_map import CORES, rounds_caveat
    from scenarios.model.fairness import Sharing

    fair = {"pool_speedup": 1.0, "cluster_speedup": 1.0}
    assert rounds_caveat([fair], (1.0, Sharing()), 2, True, False) is None
    fast_pool = {"pool_speedup": CORES * 1.2, "cluster_speedup": 1.0}
    said = rounds_caveat([fair, fast_pool], (1.0, Sharing()), 2, True, False)
    assert said.startswith(f"{CORES * 1.2:.2f}× is above the {CORES}× that {CORES} workers on "
                           f"{CORES} cores allow, though the serial loop had a whole core")
    threads = {"pool_speedup": 1.0, "cluster_speedup": 1.5}  # local workers as threads: one GIL
    assert "threads sharing one GIL" in rounds_caveat([threads], (1.0, Sharing()), 2, True, True)
    remote = {"pool_speedup": 1.0, "cluster_speedup": 7.5}  # 8 worker threads elsewhere: fine
    assert rounds_caveat([remote], (1.0, Sharing()), 8, False, False) is None


def test_on_a_python_without_dask_one_plain_line_says_where_to_switch_back() -> None:
    lesson = catalogue.get("cluster_map")
    other = next((p for p in interpreters.found()
                  if not p.is_bundled and interpreters.missing(p, lesson.needs)), None)
    if other is None:
        pytest.skip("every other Python here has Dask")
    run = backends.make_run(lesson, lesson.resolve(SMALL), "process", python=other)
    run.start()
    try:
        assert run.wait(60.0), "the run did not end"
    finally:
        run.close()
    result = backends.result_of(run.collector.drain())
    assert result is not None and result.error is not None
    assert "\n" not in result.error and "Traceback" not in result.error
    assert "switch back to the lab's Python (Lab → Python for processes…)" in result.error
    assert other.path in result.error
