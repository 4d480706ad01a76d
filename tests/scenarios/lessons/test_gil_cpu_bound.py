"""gil_cpu_bound: CPU-bound threads are no faster than serial; processes are, on 2+ cores."""

from __future__ import annotations

import os
import sys

import pytest

from scenarios.engine.cpu_lane import CpuLane
from scenarios.engine.events import Metric, Span, Table
from scenarios.lessons import catalogue
from scenarios.lessons.gil_cpu_bound import SHARE
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
CORES = os.cpu_count() or 1
LESSON = catalogue.get("gil_cpu_bound")
GIL_ON = getattr(sys, "_is_gil_enabled", lambda: True)()
# The truths on two cores: threads no faster than 1.3x serial, processes at least 1.5x.
THREADS_AT_MOST = 1.3
PROCESSES_AT_LEAST = 1.5
# About half a second of counting per task: starting a task costs little next to it, and the
# threads phase (a second) is long enough for the CPU sampler, which itself waits for the GIL
# behind the counting threads, to look at the threads at least once.
QUICK = {"workers": 2, "work_m": 10}
# The machine is shared: another job's load can slow one phase of a run (its serial phase too,
# which makes threads look faster). Both truths are facts about the machine, so one run of a few
# must show them together.
ATTEMPTS = 3


@pytest.mark.skipif(CORES < 2, reason="a speedup needs at least two cores")
@pytest.mark.skipif(not GIL_ON, reason="without the GIL threads run in parallel too")
@pytest.mark.parametrize("backend", BACKENDS)
def test_threads_share_one_core_and_processes_use_all(run_lesson, backend: str) -> None:
    seen = []
    for _ in range(ATTEMPTS):
        result, events = run_lesson("gil_cpu_bound", QUICK, backend)
        values = check_finished(result, LESSON)
        assert values["same_results"] is True
        seen.append(values)
        if (values["serial_s"] / values["threads_s"] <= THREADS_AT_MOST
                and values["serial_s"] / values["processes_s"] >= PROCESSES_AT_LEAST
                and together_as_expected(values)):
            break
    else:
        pytest.fail(f"no run had threads within {THREADS_AT_MOST}x serial and processes at "
                    f"{PROCESSES_AT_LEAST}x or more: {seen}")
    shares = {e.name for e in events if isinstance(e, Metric) and e.name.startswith(SHARE)}
    assert {SHARE + "main", SHARE + "total"} <= shares
    assert any(name.startswith(SHARE + "Thread ") for name in shares)
    assert any(name.startswith(SHARE + "process ") for name in shares)
    table = [e for e in events if isinstance(e, Table) and e.name == "CPU by phase"][-1]
    assert [row[0] for row in table.rows] == ["serial", "threads", "processes"]


def together_as_expected(values: dict) -> bool:
    """The CPU lane's figures (Linux): the GIL's threads seldom on a CPU together, processes often.

    Threads at most 10% of the time, processes at least 60% (two cores).
    """
    if not CpuLane.supported():
        return True
    return values["threads_together_pct"] <= 10 and values["processes_together_pct"] >= 60


def test_the_result_names_the_build_and_the_switch_interval(run_lesson) -> None:
    result, _ = run_lesson("gil_cpu_bound", {"workers": 1, "work_m": 1}, "thread")
    values = result.values
    assert sys.version.split()[0] in values["python_build"]
    assert "GIL" in values["python_build"]
    assert values["switch_interval_ms"] == pytest.approx(sys.getswitchinterval() * 1000)
    assert values["workers"] == 1 and values["same_results"] is True


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("phase", ["threads", "processes"])
def test_stop_mid_run_ends_within_a_second(backend: str, phase: str) -> None:
    """Stop while threads count (each must see it) or while pool workers count (terminated)."""
    check_stop_when(
        "gil_cpu_bound", {"workers": 1, "work_m": 30}, backend,
        lambda events: any(getattr(e, "label", "") == f"{phase}: start" for e in events),
        timeout=30,
        sleep_s=0.3,  # well inside the phase: the task takes over a second
        late=f"Stop in the {phase} phase did not end the run within 1 s")


@pytest.mark.skipif(not CpuLane.supported(), reason="the CPU lane reads Linux's /proc")
@pytest.mark.skipif(not GIL_ON, reason="without the GIL the threads do not take turns")
@pytest.mark.parametrize("switch_ms", [5.0, 50.0])
def test_the_threads_turns_follow_the_switch_interval(run_lesson, switch_ms: float) -> None:
    result, events = run_lesson("gil_cpu_bound",
                                {"workers": 2, "work_m": 10, "switch_ms": switch_ms}, "process")
    values = check_finished(result, LESSON)
    assert values["switch_interval_ms"] == pytest.approx(switch_ms)
    assert switch_ms / 2 <= values["handover_ms"] <= switch_ms * 2, values
    # the turns are drawn: slices on a CPU in the strips, the waits for the GIL as runnable
    spans = [e for e in events if isinstance(e, Span)]
    on_cpu = {e.worker.tid for e in spans if e.kind == "on_cpu"}
    waiting = {e.worker.tid for e in spans if e.kind == "runnable"
               and e.label == "ready: waiting for the GIL"}
    threads = {e.worker.tid for e in spans if e.worker.name.startswith("Thread ")}
    assert len(threads) == 2 and threads <= on_cpu and threads <= waiting
    # the figures: each thread's time on a CPU and waiting for the GIL, within the phase
    record = values["cpu_slices"]
    assert {"Thread 1", "Thread 2"} <= set(record["figures"]) and record["resolution_ms"] < 2.5
    for name in ("Thread 1", "Thread 2"):
        figures = record["figures"][name]
        assert figures["on_cpu_pct"] > 0 and figures["gil_wait_pct"] > 0  # each ran, each waited
        # no more than the phase, give or take the lane's resolution at each of ~200 turns
        # a second (the same slack as the two threads' sum below; 106 was seen on a quiet CI)
        assert figures["on_cpu_pct"] + figures["gil_wait_pct"] <= 110
        assert name in values["threads_on_cpu"]
    # one GIL: together they were on a CPU no more than the phase lasted (one at a time)
    assert sum(record["figures"][n]["on_cpu_pct"] for n in ("Thread 1", "Thread 2")) <= 110
    first = record["slices"][0]
    assert set(first) == {"thread", "pid", "tid", "phase", "start", "end"}
    assert 0 <= first["start"] < first["end"]


def test_the_lane_can_be_left_off(run_lesson) -> None:
    result, _ = run_lesson("gil_cpu_bound", {"workers": 1, "work_m": 1, "cpu_lane": False},
                           "thread")
    values = check_finished(result, LESSON)
    assert "threads_together_pct" not in values and "handover_ms" not in values
