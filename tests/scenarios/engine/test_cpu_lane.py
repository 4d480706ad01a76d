"""The CPU lane: who is on a CPU, looked at every millisecond from a sampler process."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from scenarios.engine.cpu_lane import TIMES, CpuLane, Lane
from scenarios.engine.spawning import spawn_context
from tests.support import child_processes, leftovers

pytestmark = pytest.mark.skipif(not CpuLane.supported(), reason="the lane reads Linux's /proc")
SPIN_S = 0.6
ATTEMPTS = 3


def spin(seconds: float) -> None:
    """Pure-Python work (it holds the GIL) for this long."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_overlap_counts_only_time_with_two_or_more_on_a_cpu() -> None:
    lane = Lane(slices={(1, 1): [(0, 60)], (1, 2): [(40, 100)], (1, 3): [(90, 95)]})
    assert lane.overlap([(1, 1), (1, 2)], 0, 100) == pytest.approx(0.2)
    assert lane.overlap([(1, 1), (1, 2), (1, 3)], 0, 100) == pytest.approx(0.25)
    assert lane.handover_ms([(1, 3)]) == pytest.approx(5e-6)


def watch_two_spinning_threads() -> tuple[Lane, list[tuple[int, int]], int, int]:
    """Two threads spin under the GIL, watched; the lane, their keys, and the stretch."""
    threads = [threading.Thread(target=spin, args=(SPIN_S,)) for _ in range(2)]
    with CpuLane([os.getpid()]) as watching:
        start = time.perf_counter_ns()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        end = time.perf_counter_ns()
    return watching.seen, [(os.getpid(), t.native_id) for t in threads], start, end


def test_two_threads_under_the_gil_take_turns_at_the_switch_interval() -> None:
    # A thread waiting for a core is R too: another job's load can make both look on a CPU at
    # once. Taking turns is a fact about the GIL, so one of a few runs must show it.
    for _ in range(ATTEMPTS):
        lane, keys, start, end = watch_two_spinning_threads()
        if lane.overlap(keys, start, end) <= 0.10:  # at most one runs Python at a time
            break
    assert lane.overlap(keys, start, end) <= 0.10
    assert lane.period_ms < 2.5  # about every millisecond
    for key in keys:
        assert 0.3 * SPIN_S < lane.on_cpu_s(key) < 0.7 * SPIN_S  # about half each
    switch_ms = sys.getswitchinterval() * 1000
    assert switch_ms / 2 <= lane.handover_ms(keys) <= switch_ms * 2


def test_two_processes_run_side_by_side() -> None:
    ctx = spawn_context()
    workers = [ctx.Process(target=spin, args=(SPIN_S * 2,)) for _ in range(2)]
    for w in workers:
        w.start()
    with CpuLane([w.pid for w in workers]) as watching:
        start = time.perf_counter_ns()
        time.sleep(SPIN_S)
        end = time.perf_counter_ns()
    for w in workers:
        w.join()
    keys = [(w.pid, w.pid) for w in workers]
    assert watching.seen.overlap(keys, start, end) >= 0.6  # both at once, on two cores


def test_a_block_that_raises_leaves_no_sampler() -> None:
    threads_before, pids_before = set(threading.enumerate()), {p.pid for p in child_processes()}
    with pytest.raises(RuntimeError), CpuLane([os.getpid()]):
        raise RuntimeError("Stop")
    assert leftovers(threads_before, pids_before) == ([], [])


def test_the_kernels_counters_say_how_long_each_thread_ran_and_queued() -> None:
    threads = [threading.Thread(target=spin, args=(SPIN_S,)) for _ in range(2)]
    with CpuLane([os.getpid()]) as watching:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    lane = watching.seen
    for t in threads:
        ran = lane.ran_ns[(os.getpid(), t.native_id)] / 1e9
        assert 0.3 * SPIN_S < ran < 0.7 * SPIN_S  # half each: they shared one GIL
        assert lane.queued_ns[(os.getpid(), t.native_id)] >= 0


def test_cpu_times_are_the_fallback_and_say_their_coarser_resolution() -> None:
    thread = threading.Thread(target=spin, args=(SPIN_S,))
    with CpuLane([os.getpid()], method=TIMES) as watching:
        thread.start()
        thread.join()
    lane = watching.seen
    key = (os.getpid(), thread.native_id)
    assert lane.method == TIMES
    assert lane.step_ns > 0 and lane.resolution_ms >= lane.step_ns / 1e6  # Linux: 10 ms ticks
    assert 0.6 * SPIN_S < lane.ran_ns[key] / 1e9 < 1.4 * SPIN_S
    assert 0.6 * SPIN_S < lane.on_cpu_s(key) < 1.4 * SPIN_S
