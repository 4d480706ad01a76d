"""A learner's unchanged script, traced in a process of its own: rows, waits, prints, Stop."""

from __future__ import annotations

import os
import textwrap
import time
import uuid

import psutil
import pytest

from scenarios.engine import backends
from scenarios.engine.events import Mark, Span
from scenarios.engine.scripts import BadScript, ScriptRun, check_script
from tests.support import printed as lines
from tests.support import traced

THREADS_AND_A_LOCK = """
    import threading, time
    lock = threading.Lock()
    x = 0
    def work(n):
        global x
        for _ in range(n):
            with lock:
                v = x
                time.sleep(0.002)
                x = v + 1
        print(threading.current_thread().name, "done")
    ts = [threading.Thread(target=work, args=(10,), name=f"worker {i}") for i in range(2)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("x =", x)
"""
DEADLOCK = """
    import threading, time
    a = threading.Lock()
    b = threading.Lock()
    def one():
        with a:
            time.sleep(0.05)
            with b: pass
    def two():
        with b:
            time.sleep(0.05)
            with a: pass
    t1 = threading.Thread(target=one, name="one"); t2 = threading.Thread(target=two, name="two")
    t1.start(); t2.start(); t1.join(); t2.join()
"""


def script(tmp_path, text: str, name: str = "script.py") -> str:
    """A script file with this text (dedented)."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_threads_get_named_rows_with_their_lock_waits_holds_and_sleeps(tmp_path) -> None:
    result, events = traced(script(tmp_path, THREADS_AND_A_LOCK))
    assert result.error is None and result.values["exit_code"] == 0
    printed = lines(events)
    assert ("main", "stdout", "x = 20") in printed
    assert {("worker 0", "stdout", "worker 0 done"), ("worker 1", "stdout", "worker 1 done")} \
        <= set(printed)
    spans = {(e.worker.name, e.kind) for e in events if isinstance(e, Span)}
    for worker in ("worker 0", "worker 1"):
        assert {(worker, "hold_lock"), (worker, "sleep")} <= spans
    assert ("main", "blocked") in spans  # the joins
    assert any(e.kind == "wait_lock" for e in events if isinstance(e, Span))
    labels = {e.label.split(" ×")[0] for e in events if isinstance(e, Span)}
    assert "hold Lock 1 (line 3)" in labels  # named by the line of the script that made it
    marks = {(e.worker.name, e.label) for e in events if isinstance(e, Mark)}
    assert {("worker 0", "started"), ("worker 0", "finished")} <= marks
    assert os.getpid() not in {e.worker.pid for e in events if isinstance(e, Span)}


def test_a_deadlock_shows_both_threads_waiting_and_stop_leaves_nothing(tmp_path) -> None:
    marker = uuid.uuid4().hex
    os.environ["LAB_TEST_MARK"] = marker
    try:
        run = ScriptRun(script(tmp_path, DEADLOCK))
        run.start()
        deadline = time.monotonic() + 10
        waiting: set[str] = set()
        events = []
        while waiting != {"one", "two"} and time.monotonic() < deadline:
            time.sleep(0.05)
            events += run.collector.drain()
            waiting = {e.worker.name for e in events if isinstance(e, Span)
                       and e.kind == "wait_lock"}
        assert waiting == {"one", "two"}  # drawn while they wait, not only after
        started = time.perf_counter()
        run.stop()
        assert run.wait(1.0) and time.perf_counter() - started < 1.0
        assert backends.result_of(run.collector.drain()).stopped
    finally:
        del os.environ["LAB_TEST_MARK"]
    assert marked(marker) == []


def marked(marker: str) -> list[psutil.Process]:
    """Live processes started with the marker in their environment (any parent)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.status() != psutil.STATUS_ZOMBIE and \
                    proc.environ().get("LAB_TEST_MARK") == marker:
                found.append(proc)
        except psutil.Error:
            continue
    return found


@pytest.mark.parametrize("text", [
    "while True:\n    pass\n",
    "import threading, time\n"
    "def stubborn():\n"
    "    while True:\n"
    "        try:\n            time.sleep(10)\n"
    "        except BaseException:\n            pass\n"
    "threading.Thread(target=stubborn).start()\n",
    "import multiprocessing as mp, time\n"
    "def idle():\n    time.sleep(60)\n"
    "if __name__ == '__main__':\n"
    "    ctx = mp.get_context('fork')\n"
    "    for _ in range(50):\n        ctx.Process(target=idle).start()\n"
    "    time.sleep(60)\n",
], ids=["endless loop", "a thread that ignores everything", "50 processes"])
def test_stop_ends_any_script_and_all_it_started_within_a_second(tmp_path, text) -> None:
    marker = uuid.uuid4().hex
    os.environ["LAB_TEST_MARK"] = marker
    try:
        run = ScriptRun(script(tmp_path, text))
        run.start()
        time.sleep(1.0)
        started = time.perf_counter()
        run.stop()
        assert run.wait(1.0) and time.perf_counter() - started < 1.0
    finally:
        del os.environ["LAB_TEST_MARK"]
    assert marked(marker) == []


@pytest.mark.parametrize(("text", "code", "error"), [
    ("import sys\nsys.exit(3)\n", 3, "exit code 3"),
    ("import os\nos._exit(5)\n", 5, "the script ended with exit code 5"),
    ("import nosuchmodule\n", 1, "ModuleNotFoundError: No module named 'nosuchmodule'"),
    ("input('name? ')\n", 1, "EOFError: EOF when reading a line (the script reads stdin, and "
                             "no input was given)"),
])
def test_how_a_script_ended_is_said(tmp_path, text, code, error) -> None:
    result, events = traced(script(tmp_path, text))
    assert result.values["exit_code"] == code and result.error == error


def test_an_uncaught_exception_is_shown_from_the_script_s_own_frames(tmp_path) -> None:
    result, events = traced(script(tmp_path, "def f():\n    1 / 0\nf()\n"))
    errors = [text for _, stream, text in lines(events) if stream == "stderr"]
    assert errors[0] == "Traceback (most recent call last):"
    assert "runpy" not in "\n".join(errors) and errors[-1] == "ZeroDivisionError: division by zero"


def test_arguments_and_input_reach_the_script(tmp_path) -> None:
    path = script(tmp_path, "import sys\nprint(sys.argv[1:])\nprint('hi', input('name? '))\n")
    result, events = traced(path, "a", "b c", stdin="Ada\n")
    assert [text for _, _, text in lines(events)] == ["['a', 'b c']", "name? ", "hi Ada"]


@pytest.mark.parametrize(("name", "content", "says"), [
    ("missing.py", None, "no such file"),
    ("notes.txt", "print(1)\n", "is not a Python file"),
    ("binary.py", b"\x00\x01\xff", "is not Python text"),
    ("broken.py", "x = 1\ndef f(:\n", "broken.py, line 2: SyntaxError: invalid syntax"),
])
def test_a_file_that_cannot_run_is_refused_before_anything_runs(tmp_path, name, content,
                                                                says) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(BadScript, match=says) as refused:
        check_script(str(path))
    if name == "broken.py":
        assert refused.value.line == 2


POOL = """
    import multiprocessing
    def f(n):
        return sum(i * i for i in range(n))
    if __name__ == "__main__":
        with multiprocessing.{context}Pool(2) as p:  # long enough tasks for both to get some
            print(len(p.map(f, [600_000] * 8, chunksize=2)))
"""
LOCKED_PROCESSES = """
    import multiprocessing, time
    def deposit(balance, lock):
        for _ in range(3):
            time.sleep(0.01)
            with lock:
                balance.value += 1
    if __name__ == "__main__":
        ctx = multiprocessing.get_context("{method}")
        balance, lock = ctx.Value("i", 200), ctx.Lock()
        ps = [ctx.Process(target=deposit, args=(balance, lock), name=f"deposit {{i}}")
              for i in (1, 2)]
        for p in ps: p.start()
        for p in ps: p.join()
        print(balance.value)
"""


def spans_of(events) -> dict[str, set[str]]:
    """Each row's span kinds."""
    rows: dict[str, set[str]] = {}
    for e in events:
        if isinstance(e, Span):
            rows.setdefault(e.worker.name, set()).add(e.kind)
    return rows


@pytest.mark.parametrize("context", ["", "get_context('spawn')."], ids=["fork", "spawn"])
def test_a_pool_s_two_workers_get_rows_with_their_tasks(tmp_path, context) -> None:
    result, events = traced(script(tmp_path, POOL.format(context=context)))
    assert result.error is None and ("main", "stdout", "8") in lines(events)
    workers = {e.worker.pid for e in events if isinstance(e, Mark) and e.label == "started"
               and e.worker.name.startswith("pool worker")}
    assert len(workers) == 2  # two processes on rows of their own (one may do every chunk)
    tasks = [e for e in events if isinstance(e, Span) and e.kind == "run"]
    assert {e.worker.pid for e in tasks} <= workers
    assert {e.label for e in tasks} == {"f ×2"} and len(tasks) == 4
    assert {"pool worker"} == {e.worker.name.rsplit(" ", 1)[0] for e in tasks}
    assert "Pool.map" in {e.label.split(" ×")[0] for e in events
                          if isinstance(e, Span) and e.worker.name == "main"}


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_processes_the_script_names_hold_its_lock_on_their_own_rows(tmp_path, method) -> None:
    result, events = traced(script(tmp_path, LOCKED_PROCESSES.format(method=method)))
    assert ("main", "stdout", "206") in lines(events)
    rows = spans_of(events)
    for name in ("deposit 1", "deposit 2"):
        assert {"hold_lock", "sleep"} <= rows[name]
    labels = {e.label for e in events if isinstance(e, Span) and e.kind == "hold_lock"}
    assert labels == {"hold multiprocessing.Lock 1 (line 10)"}
    pids = {e.worker.pid for e in events if isinstance(e, Span) and e.worker.name != "main"}
    assert len(pids) == 2 and os.getpid() not in pids  # main's row has its joins


def test_a_flood_of_prints_is_held_back_with_a_note_and_its_end_is_shown(tmp_path) -> None:
    path = script(tmp_path, "for i in range(30_000):\n    print(i)\nprint('done')\n")
    result, events = traced(path)
    printed = lines(events)
    assert result.error is None and printed[-1] == ("main", "stdout", "done")
    notes = [text for _, stream, text in printed if stream == "lab"]
    assert notes and "lines not shown: printed faster than 5,000 a second" in notes[0]
    assert len(printed) < 30_000


def test_a_script_that_deletes_its_own_file_still_runs_to_its_end(tmp_path) -> None:
    path = script(tmp_path, "import os, sys\nos.remove(sys.argv[0])\nprint('still here')\n")
    result, events = traced(path)
    assert result.error is None and ("main", "stdout", "still here") in lines(events)
    assert not os.path.exists(path)


def test_a_wait_on_a_multiprocessing_queue_is_drawn_as_blocked(tmp_path) -> None:
    path = script(tmp_path, """
        import multiprocessing as mp, time
        def slow(q):
            time.sleep(0.2)
            q.put("late")
        if __name__ == "__main__":
            q = mp.Queue()
            p = mp.Process(target=slow, args=(q,), name="slow")
            p.start()
            print(q.get())
            p.join()
    """)
    result, events = traced(path)
    assert ("main", "stdout", "late") in lines(events)
    waits = [e for e in events if isinstance(e, Span) and e.worker.name == "main"
             and e.label.startswith("Queue.get")]
    assert sum(e.end - e.start for e in waits) > 0.1e9  # main waited for the slow one
