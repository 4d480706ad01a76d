"""The headless command line, run as users run it: `python -m scenarios ...` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.lessons import catalogue

ROOT = Path(__file__).resolve().parents[2]
# DESIGN, "Headless CLI": the keys of `run --json`.
REPORT_KEYS = {"scenario", "backend", "params", "ok", "error", "wall_s", "result", "events",
               "python", "python_path", "cpu_count"}  # python_path: issue 20
# Every lesson of the catalogue, which holds at least the foundation's three.
LESSON_IDS = {lesson.id for lesson in catalogue.lessons()}
assert {"thread_basics", "race_counter", "pool_speedup"} <= LESSON_IDS


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scenarios", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_list_json_gives_every_lesson_with_its_parameters() -> None:
    done = cli("list", "--json")
    assert done.returncode == 0, done.stderr
    lessons = json.loads(done.stdout)
    assert {lesson["id"] for lesson in lessons} == LESSON_IDS
    for lesson in lessons:
        assert lesson["title"] and lesson["summary"] and lesson["section"]
        assert lesson["params"], lesson["id"]
        for param in lesson["params"]:
            assert {"name", "kind", "default", "min", "max", "choices", "unit", "help",
                    "live"} <= set(param)
    race = next(lesson for lesson in lessons if lesson["id"] == "race_counter")
    use_lock = next(p for p in race["params"] if p["name"] == "use_lock")
    assert use_lock == {**use_lock, "kind": "bool", "default": False, "live": True}


def test_list_plain_names_every_lesson() -> None:
    done = cli("list")
    assert done.returncode == 0
    assert {line.split()[0] for line in done.stdout.splitlines()} == LESSON_IDS


def test_run_json_reports_lost_updates_with_every_contract_key() -> None:
    done = cli("run", "race_counter", "--set", "use_lock=false", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # one JSON object and nothing else on stdout
    assert set(report) == REPORT_KEYS
    assert report["scenario"] == "race_counter"
    assert report["backend"] == "thread"
    assert report["ok"] is True and report["error"] is None
    assert report["params"] == {"threads": 2, "increments": 10_000, "use_lock": False,
                                "step": "read, pause, write", "race_window": 0.0}
    assert report["result"]["lost_updates"] > 0
    assert report["wall_s"] > 0
    assert report["events"]["result"] == 1 and report["events"]["span"] > 0
    assert report["python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}.")
    assert isinstance(report["cpu_count"], int)


def test_run_on_the_process_back_end() -> None:
    done = cli("run", "thread_basics", "--backend", "process", "--set", "delay_1=0.01",
               "--set", "delay_2=0.02", "--set", "count=1", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["backend"] == "process"
    assert report["result"]["done_after_threads"] is True


def test_run_without_json_echoes_the_console_and_the_result() -> None:
    done = cli("run", "thread_basics", "--set", "delay_1=0", "--set", "delay_2=0",
               "--set", "count=1")
    assert done.returncode == 0, done.stderr
    assert "[main] Done" in done.stdout
    assert '"done_after_threads": true' in done.stdout


def assert_one_clear_line(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr holding every needle; no traceback."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert done.stdout == ""
    return lines[0]


def test_an_out_of_range_value_names_the_parameter_its_range_and_the_value() -> None:
    line = assert_one_clear_line(cli("run", "race_counter", "--set", "increments=-5"),
                                 "increments", "from 1 to 1000000", "-5")
    assert line == "error: increments must be an integer from 1 to 1000000, got -5"


@pytest.mark.parametrize(("args", "needles"), [
    (("--set", "nonsense"), ("NAME=VALUE", "nonsense")),
    (("--set", "threads=abc"), ("threads", "from 2 to 8", "abc")),
    (("--set", "threads=2.5"), ("threads", "from 2 to 8", "2.5")),
    (("--set", "use_lock=maybe"), ("use_lock", "true or false", "maybe")),
    (("--set", "step=x++"), ("step", "one of", "x++")),
    (("--set", "race_window=nan"), ("race_window", "from 0 to 5 ms", "nan")),
    (("--set", "colour=red"), ("unknown parameter", "colour", "increments")),
    (("--backend", "gpu"), ("--backend", "gpu")),
])
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    assert_one_clear_line(cli("run", "race_counter", *args), *needles)


def test_an_unknown_lesson_exits_2_with_one_line() -> None:
    assert_one_clear_line(cli("run", "no_such_lesson"), "no_such_lesson", "race_counter")


@pytest.mark.parametrize("args", [(), ("dance",), ("run",), ("list", "--yaml")])
def test_bad_usage_exits_2_with_one_line(args: tuple[str, ...]) -> None:
    assert_one_clear_line(cli(*args))


def test_step_json_prints_each_step_and_the_result() -> None:
    done = cli("step", "race_counter", "--schedule", "1,2,1,2", "--set", "threads=2",
               "--set", "increments=1", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["schedule"] == [1, 2, 1, 2] and report["deadlock"] is None
    assert [(s["thread"], s["point"]) for s in report["steps"]] == [
        (1, "read x"), (2, "read x"), (1, "write x"), (2, "write x")]
    assert report["result"]["actual"] == 1 and report["result"]["lost_updates"] == 1


@pytest.mark.parametrize(("schedule", "says"), [
    ("1,3", "step 2 (3): there is no thread 3"),
    ("1,1,1", "step 3 (1): Thread 1 has finished"),
    ("1,x", "'x' is not a thread number"),
])
def test_step_refuses_a_schedule_it_cannot_play_in_one_line(schedule: str, says: str) -> None:
    done = cli("step", "race_counter", "--schedule", schedule, "--set", "increments=1")
    assert done.returncode == 2
    assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_step_says_deadlock_and_names_the_cycle() -> None:
    done = cli("step", "deadlock", "--schedule", "1,2", "--set", "transfers=1", "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["deadlock"].startswith("deadlock: Thread 1 holds lock A and waits for lock B")


def test_explore_json_counts_every_schedule() -> None:
    done = cli("explore", "race_counter", "--set", "threads=2", "--set", "increments=2",
               "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["schedules"] == sum(report["outcomes"].values()) == 70
    assert set(report["examples"]) == set(report["outcomes"])
    locked = json.loads(cli("explore", "race_counter", "--set", "increments=2",
                            "--set", "use_lock=true", "--json").stdout)
    assert list(locked["outcomes"]) == ["x = 4"]


def test_trace_runs_a_script_and_prints_what_it_printed_and_its_exit_code(tmp_path) -> None:
    path = tmp_path / "hello.py"
    path.write_text("import sys, threading\n"
                    "t = threading.Thread(target=print, args=('from a thread',), name='helper')\n"
                    "t.start(); t.join()\nprint('args', sys.argv[1:], input())\nsys.exit(4)\n")
    done = cli("trace", "--input", "typed\n", str(path), "one", "two")
    assert done.returncode == 4
    assert done.stdout.splitlines() == ["[helper] from a thread",
                                        "[main] args ['one', 'two'] typed"]
    report = json.loads(cli("trace", "--input", "x\n", str(path), "--json").stdout)
    assert report["exit_code"] == 4 and report["args"] == [] and report["error"] == "exit code 4"
    assert report["events"]["line"] == 2 and report["events"]["mark"] >= 4


@pytest.mark.parametrize(("text", "says"), [
    (None, "no such file"), ("def f(:\n", "line 1: SyntaxError")])
def test_trace_refuses_a_script_that_cannot_run_in_one_line(tmp_path, text, says) -> None:
    path = tmp_path / "s.py"
    if text is not None:
        path.write_text(text)
    done = cli("trace", str(path))
    assert done.returncode == 2 and says in done.stderr and len(done.stderr.splitlines()) == 1
