"""pool_speedup: Pool.map beats the serial loop on a multi-core machine, with the same results."""

from __future__ import annotations

import os

import psutil
import pytest

from scenarios.engine.events import Line, Mark, Metric, Span, Table
from scenarios.lessons import catalogue
from tests.support import check_stop_when

BACKENDS = ("thread", "process")
CORES = os.cpu_count() or 1
# The one timing truth: on two cores the pool is clearly faster (ideal 2×, typically
# 1.6-1.9×). Only this bound is asserted; benchmarks report the real figures.
MIN_SPEEDUP = 1.3


def still_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.skipif(CORES < 2, reason="a speedup needs at least two cores")
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_pool_is_faster_at_defaults(run_lesson, backend: str) -> None:
    result, events = run_lesson("pool_speedup", {}, backend)
    values = result.values
    assert result.error is None and not result.stopped
    assert values["same_results"] is True
    assert values["pool_size"] == values["cpu_count"] == CORES
    assert values["speedup"] > MIN_SPEEDUP, values
    assert values["serial_s"] > values["parallel_s"] > 0
    rounds = values["rounds"]
    assert rounds == 3 and len(values["worker_pids"]) == CORES * rounds  # a pool per round
    # The workers report to the run, and are gone once it has ended.
    worker_pids = {e.worker.pid for e in events if isinstance(e, Span) and e.label.startswith("f")}
    assert worker_pids == set(values["worker_pids"])
    ups = [e for e in events if isinstance(e, Mark) and e.label.startswith("worker up")]
    assert len(ups) == CORES * rounds
    assert not [pid for pid in values["worker_pids"] if still_running(pid)]
    console = [e.text for e in events if isinstance(e, Line)]
    assert any(text.startswith("Speedup: ") for text in console)


def test_the_result_is_the_median_round_with_the_spread_beside_it(run_lesson) -> None:
    result, events = run_lesson("pool_speedup", {"tasks": 600, "rounds": 3}, "thread")
    values = result.values
    speedups = values["round_speedups"]
    assert len(speedups) == 3 and values["speedup"] == sorted(speedups)[1]
    assert values["speedup_spread"] == [min(speedups), max(speedups)]
    rounds = [e for e in events if isinstance(e, Table) and e.name == "rounds"][-1]
    assert [row[3] for row in rounds.rows] == speedups
    marks = [e.label for e in events if isinstance(e, Mark) and e.label.startswith("round ")]
    assert marks == ["round 1", "round 2", "round 3"]


def test_small_chunks_and_one_worker_still_give_the_same_results(run_lesson) -> None:
    result, _ = run_lesson("pool_speedup", {"tasks": 200, "pool_size": 1, "chunksize": 1,
                                            "rounds": 1},
                           "thread")
    assert result.error is None
    assert result.values["same_results"] is True
    assert result.values["pool_size"] == 1
    assert len(result.values["worker_pids"]) == 1


def test_the_pool_size_can_go_up_to_twice_the_cores() -> None:
    param = catalogue.get("pool_speedup").param("pool_size")
    assert (param.default, param.minimum, param.maximum) == (CORES, 1, 2 * CORES)


def test_the_sweep_is_off_by_default_and_reported_empty(run_lesson) -> None:
    assert catalogue.get("pool_speedup").param("sweep").default is False
    result, events = run_lesson("pool_speedup", {"tasks": 200}, "thread")
    assert result.values["sweep"] == []
    assert not [e for e in events if isinstance(e, Metric) and e.name == "speedup"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_sweep_times_every_pool_size_up_to_twice_the_cores(run_lesson, backend) -> None:
    # Few tasks: this checks what the sweep reports, not how fast (benchmarks give figures).
    params = {"tasks": 200, "rounds": 1, "sweep": True, "sweep_tasks": 400}
    result, events = run_lesson("pool_speedup", params, backend)
    values = result.values
    assert result.error is None and not result.stopped
    assert values["same_results"] is True  # the comparison above still runs first
    sizes = [row["pool_size"] for row in values["sweep"]]
    assert sizes == list(range(1, 2 * CORES + 1))
    for row in values["sweep"]:
        assert set(row) == {"pool_size", "parallel_s", "speedup"}
        assert row["parallel_s"] > 0 and row["speedup"] > 0
    speedups = [e.value for e in events if isinstance(e, Metric) and e.name == "speedup"]
    assert speedups == pytest.approx([row["speedup"] for row in values["sweep"]], abs=1e-3)
    table = [e for e in events if isinstance(e, Table) and e.name == "speedup by pool size"][-1]
    assert [row[0] for row in table.rows] == sizes
    ups = [e for e in events if isinstance(e, Mark) and e.label.startswith("worker up")]
    assert len(ups) == CORES + sum(sizes)  # every pool's workers came up and reported


def test_stop_during_the_sweep_ends_within_a_second() -> None:
    check_stop_when(
        "pool_speedup", {"tasks": 200, "sweep": True, "sweep_tasks": 1_000_000}, "thread",
        lambda events: any(isinstance(e, Span) and e.label.startswith("Pool.join")
                           for e in events),
        timeout=60, never="the first comparison never ended",
        settle_s=0.5)  # into the sweep's serial loop
