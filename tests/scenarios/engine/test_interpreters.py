"""Other Pythons: found, checked by running them once, and a lesson's process run on one."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from scenarios import cli
from scenarios.engine import backends, interpreters
from scenarios.engine.interpreters import BadInterpreter
from scenarios.lessons import catalogue
from tests.support import child_processes, leftovers


def another_python() -> interpreters.Interpreter | None:
    """A CPython >= 3.10 on this machine other than the lab's own, if there is one."""
    return interpreters.first_found(lambda p: not p.is_bundled and p.gil)


def test_the_labs_own_python_checks_out_as_itself() -> None:
    mine = interpreters.check(sys.executable)
    assert mine.version == tuple(sys.version_info[:3]) and mine.is_bundled
    assert mine.label.startswith(f"Python {sys.version.split()[0]}") and "GIL on" in mine.label
    assert mine.label == interpreters.this_python().label


@pytest.mark.parametrize(("path", "why"), [("/nonexistent/python3", "no such file"),
                                           ("/bin/true", "not a Python"),
                                           ("/", "not a program")])
def test_what_is_not_a_python_is_refused_with_one_line(path: str, why: str) -> None:
    with pytest.raises(BadInterpreter, match=why) as caught:
        interpreters.check(path)
    assert "\n" not in str(caught.value) and path in str(caught.value)


def test_a_python_older_than_3_10_is_refused(tmp_path: Path) -> None:
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\necho '{\"implementation\": \"cpython\", \"version\": [3, 9, 18], "
                   "\"free_threaded\": false, \"gil\": true, \"path\": []}'\n")
    old.chmod(0o755)
    with pytest.raises(BadInterpreter, match="3.9.18.*3.10 or newer"):
        interpreters.check(str(old))


@pytest.mark.parametrize("path", ["/bin/true", "/nonexistent"])
def test_the_cli_refuses_a_bad_python_with_exit_2_and_one_line(path: str, capsys) -> None:
    assert cli.main(["run", "race_counter", "--python", path]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and path in err


def test_python_needs_the_process_back_end(capsys) -> None:
    code = cli.main(["run", "race_counter", "--backend", "thread", "--python", sys.executable])
    assert code == cli.EXIT_BAD_INPUT and "--backend process" in capsys.readouterr().err


def test_every_result_says_which_python_it_ran_on(run_lesson) -> None:
    result, _ = run_lesson("race_counter", {"increments": 100}, "thread")
    assert result.values["python"] == interpreters.this_python().label


@pytest.mark.skipif(another_python() is None, reason="no other CPython >= 3.10 on this machine")
def test_a_lessons_process_runs_on_another_python_and_leaves_nothing() -> None:
    other = another_python()
    assert other is not None
    threads, pids = set(threading.enumerate()), {p.pid for p in child_processes()}
    run = backends.make_run(catalogue.get("race_counter"), {"increments": 2000}, "process",
                            python=other)
    run.start()
    assert run.wait(60)
    result = backends.result_of(run.collector.drain())
    assert result is not None and result.error is None, result
    assert result.values["python"] == other.label  # it ran there, and says so
    assert result.values["expected"] == 4000
    assert leftovers(threads, pids) == ([], [])


# A free-threaded Python with the GIL off (`make freethreaded` builds one), if there is one.
FREE = interpreters.first_found(interpreters.without_gil)
needs_free = pytest.mark.skipif(FREE is None, reason="no free-threaded Python: make freethreaded")


@needs_free
def test_without_the_gil_the_decks_plain_increment_loses_updates() -> None:
    assert FREE is not None
    run = backends.make_run(catalogue.get("race_counter"),
                            {"step": "x += 1", "increments": 200_000}, "process", python=FREE)
    run.start()
    assert run.wait(120)
    result = backends.result_of(run.collector.drain())
    assert result is not None and result.error is None, result
    assert "GIL off" in result.values["python"]
    assert result.values["lost_updates"] > 0  # with the GIL (3.10+) it hardly ever does


@needs_free
def test_without_the_gil_cpu_bound_threads_run_at_once() -> None:
    assert FREE is not None
    run = backends.make_run(catalogue.get("gil_cpu_bound"), {"workers": 2, "work_m": 5},
                            "process", python=FREE)
    run.start()
    assert run.wait(120)
    values = backends.result_of(run.collector.drain()).values
    assert "GIL off" in values["python_build"] and "GIL off" in values["python"]
    if "threads_together_pct" in values:  # the CPU lane saw them: side by side, not in turns
        assert values["threads_together_pct"] >= 40, values


@needs_free
def test_stop_ends_a_run_on_another_python_within_a_second() -> None:
    from tests.support import assert_stops_cleanly, wait_until_running

    assert FREE is not None
    run = backends.make_run(catalogue.get("gil_cpu_bound"), {"workers": 2, "work_m": 200},
                            "process", python=FREE)
    seen: list = []
    threads = set(threading.enumerate())
    run.start()
    wait_until_running(run, seen)
    time.sleep(0.5)  # into its work
    assert_stops_cleanly(run, seen, threads)


@needs_free
def test_a_python_says_which_of_the_packages_a_lesson_needs_it_lacks() -> None:
    assert interpreters.missing(FREE, ("distributed", "json")) == ["distributed"]
    assert interpreters.missing(interpreters.this_python(), ("no_such_package",)) == []
    assert interpreters.missing(FREE, ()) == []
