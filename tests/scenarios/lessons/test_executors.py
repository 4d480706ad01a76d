"""executors: the same tasks on both executors, results taken as they finish.

Workers report their tasks; Stop ends either pool within a second.
"""

from __future__ import annotations

import pytest

from scenarios.engine.events import Mark, Span
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
LESSON = catalogue.get("executors")
# Short tasks: a run takes about a second, and the tasks still finish out of order.
QUICK = {"tasks": 5, "workers": 2, "longest_s": 0.2}


def task_rows(events, prefix: str) -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    for e in events:
        if isinstance(e, Span) and e.label.startswith("task ") and e.worker.name.startswith(prefix):
            rows.setdefault(e.worker.name, set()).add(e.label)
    return rows


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", ["cpu", "io"])
def test_both_executors_run_every_task_and_finish_out_of_order(run_lesson, backend: str,
                                                               kind: str) -> None:
    result, events = run_lesson("executors", {**QUICK, "kind": kind}, backend)
    values = check_finished(result, LESSON)
    assert values["thread_s"] > 0 and values["process_s"] > 0
    submitted = list(range(QUICK["tasks"]))
    for pool in ("threads", "processes"):
        order = values["completion_order"][pool]
        assert sorted(order) == submitted
        if kind == "io":  # cpu tasks race other programs for the cores; waits do not
            # Task 1 is a third as long as task 0 and starts with it: as_completed gives it first.
            assert order[0] == 1 and order != submitted
    # Every task ran once on each kind of worker, drawn on the worker's own row.
    expected = {f"task {i}" for i in submitted}
    for prefix in ("thread worker", "process worker"):
        rows = task_rows(events, prefix)
        assert set().union(*rows.values()) == expected, (prefix, rows)
    process_pids = {e.worker.pid for e in events
                    if isinstance(e, Span) and e.worker.name.startswith("process worker")}
    assert len(process_pids) == QUICK["workers"]
    ups = [e for e in events if isinstance(e, Mark) and e.label.startswith("worker up")]
    assert len(ups) == QUICK["workers"]


def test_one_worker_finishes_in_submission_order(run_lesson) -> None:
    result, _ = run_lesson("executors", {**QUICK, "workers": 1, "kind": "io",
                                         "longest_s": 0.1}, "thread")
    submitted = list(range(QUICK["tasks"]))
    assert result.values["completion_order"] == {"threads": submitted, "processes": submitted}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("pool", ["threads", "processes"])
def test_stop_mid_run_ends_within_a_second(backend: str, pool: str) -> None:
    params = {"tasks": 8, "workers": 2, "longest_s": 1.5 if pool == "threads" else 0.3}
    prefix = "thread worker" if pool == "threads" else "process worker"
    # Wait until that pool has finished a task, so it is busy with the others.
    check_stop_when("executors", params, backend, lambda events: task_rows(events, prefix),
                    timeout=30, late=f"Stop during the {pool} did not end the run within 1 s")
