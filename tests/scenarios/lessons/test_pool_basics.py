"""pool_basics: Pool.map squares 1..n in input order, spread over the pool's worker processes."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Line, Mark, Span, Table
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
LESSON = catalogue.get("pool_basics")
QUICK = {"processes": 3, "numbers": 5, "delay": 0.2}


@pytest.mark.parametrize("backend", BACKENDS)
def test_results_in_order_and_spread_over_workers(run_lesson, backend: str) -> None:
    result, events = run_lesson("pool_basics", QUICK, backend)
    values = check_finished(result, LESSON)
    assert values["results"] == [1, 4, 9, 16, 25]
    assert len(values["worker_pids"]) == 5
    assert set(values["worker_pids"]) <= set(values["pool_pids"])
    assert len(values["pool_pids"]) == 3
    assert values["parent_pid"] not in values["pool_pids"]
    # One worker sleeps in f while it holds an item, so the others take the rest.
    assert values["workers_used"] >= 2
    # The timeline agrees with the result: f(n) is drawn on the row of the pid that returned it.
    drawn = {e.label: e.worker.pid for e in events if isinstance(e, Span) and e.kind == "sleep"}
    for n, pid in zip(range(1, 6), values["worker_pids"], strict=True):
        assert drawn[f"f({n})"] == pid
    runs = [e for e in events if isinstance(e, Span) and e.kind == "run"]
    assert runs and all(e.label.startswith("f") for e in runs)
    table = [e for e in events if isinstance(e, Table)][-1]
    assert [list(row) for row in table.rows] == [
        [n, n * n, pid] for n, pid in zip(range(1, 6), values["worker_pids"], strict=True)]
    console = [e.text for e in events if isinstance(e, Line)]
    assert sum(text.startswith("f(") for text in console) == 5


def test_one_process_computes_everything(run_lesson) -> None:
    result, _ = run_lesson("pool_basics", {**QUICK, "processes": 1, "delay": 0.0}, "thread")
    assert result.values["results"] == [1, 4, 9, 16, 25]
    assert len(set(result.values["worker_pids"])) == 1


def test_one_chunk_goes_to_one_worker(run_lesson) -> None:
    result, _ = run_lesson("pool_basics", {**QUICK, "chunksize": 5}, "thread")
    assert result.values["results"] == [1, 4, 9, 16, 25]
    assert result.values["workers_used"] == 1


def test_defaults_are_the_decks() -> None:
    defaults = LESSON.resolve({})
    assert defaults["processes"] == 3 and defaults["numbers"] == 5
    assert defaults["delay"] > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_the_pool_within_a_second(backend: str) -> None:
    check_stop_when(
        "pool_basics", {"numbers": 30, "delay": 3.0}, backend,
        lambda events: sum(isinstance(e, Mark) and e.label.startswith("worker up")
                           for e in events) >= 3,
        timeout=30, never="the workers never came up",
        settle_s=0.3)  # let Pool.map hand out the first items


def test_the_code_view_shows_the_decks_map() -> None:
    source = LESSON.source()
    assert "def f(n, delay)" in source and "return n * n, os.getpid()" in source
    assert "pool.map(" in source and "lab.pool(p[\"processes\"])" in source
