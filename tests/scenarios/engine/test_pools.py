"""LabPool's pieces: the chunks Pool.map would send, and Traced drawing a worker's chunk."""

from __future__ import annotations

import multiprocessing.pool
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from scenarios.engine import merging, probe
from scenarios.engine.events import Span
from scenarios.engine.pools import Traced, chunked
from tests.support import Recorder


def _square(n: int) -> int:
    return n * n


def _slow(n: int) -> int:
    time.sleep(merging.MAX_MERGED_NS / 1e9 * 1.2)
    return n


def _a_millisecond(n: int) -> int:
    time.sleep(0.001)
    return n


def _stop_at_three(n: int) -> int:
    if n == 3:
        raise probe.StopRun
    return n


def _tasks_in(span: Span) -> int:
    return int(span.label.split("×")[1]) if "×" in span.label else 1


@pytest.fixture
def rec() -> Iterator[Recorder]:
    recorder = Recorder()
    probe.install(recorder.lab)
    yield recorder
    probe.install(None)


@pytest.mark.parametrize(("n", "workers"), [(50_000, 2), (10, 3), (5, 3), (1, 1), (0, 2)])
def test_the_chunks_are_those_pool_map_would_send(n: int, workers: int) -> None:
    chunks = chunked(range(n), workers, None)
    # Pool.map's own choice of chunksize for a list of this length (its private helper's rule)
    with multiprocessing.pool.ThreadPool(workers) as pool:
        size = pool._map_async(_square, list(range(n)), lambda *a: a, None)._chunksize if n else 0
    assert [x for chunk in chunks for x in chunk] == list(range(n))
    assert all(len(chunk) == size for chunk in chunks[:-1])


def test_a_given_chunksize_is_kept() -> None:
    assert chunked("abcdefg", 2, 3) == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    assert chunked([1, 2], 2, 0) == [[1], [2]]  # never a chunk of nothing


def test_a_chunk_of_quick_tasks_is_one_counted_bar(rec: Recorder) -> None:
    assert Traced(_square)(list(range(300))) == [n * n for n in range(300)]
    rec.lab.flush_thread()
    spans = rec.of(Span)
    assert [s.kind for s in spans] == ["run"] * len(spans)
    assert len(spans) == 1 and sum(_tasks_in(s) for s in spans) == 300
    assert spans[0].label == "_square ×300"


def test_a_task_longer_than_a_merged_bar_is_a_bar_of_its_own(rec: Recorder) -> None:
    assert Traced(_slow)([1, 2, 3]) == [1, 2, 3]
    rec.lab.flush_thread()
    assert [s.label for s in rec.of(Span)] == ["_slow", "_slow", "_slow"]


def test_a_long_chunk_of_short_tasks_counts_every_task_in_its_bars(rec: Recorder) -> None:
    # ~150 ms of 1 ms tasks: more than one MAX_MERGED_NS, so the bar is sent in parts as it grows
    assert Traced(_a_millisecond)(list(range(150))) == list(range(150))
    rec.lab.flush_thread()
    spans = rec.of(Span)
    assert sum(_tasks_in(s) for s in spans) == 150
    assert all(s.label.startswith("_a_millisecond") for s in spans)


def test_stop_in_a_task_ends_the_chunk_with_the_tasks_done_drawn(rec: Recorder) -> None:
    assert Traced(_stop_at_three)([0, 1, 2, 3, 4]) == [0, 1, 2]
    rec.lab.flush_thread()
    assert sum(_tasks_in(s) for s in rec.of(Span)) == 3


def test_a_child_imports_the_lesson_module_before_it_takes_work(tmp_path, monkeypatch) -> None:
    # as spawn imports the deck's script in a worker before its first task
    (tmp_path / "lesson_with_tasks.py").write_text("def f(n):\n    return n\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lesson_with_tasks", raising=False)
    child = probe.ChildProbe(None, threading.Event(), 0, "lesson_with_tasks")
    lab, sink = child.open()
    assert "lesson_with_tasks" in sys.modules
    sink.close()  # nothing queued: sends nothing
