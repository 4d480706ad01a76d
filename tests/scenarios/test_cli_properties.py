"""No crash under any input (issue 7), on the command line.

Whatever `--set` and the arguments hold, bad input exits 2 with one clear line on stderr and no
traceback.

The properties call `main(argv)` in-process (a subprocess per example would cost seconds); a few
plain tests check the real `python -m scenarios` as users run it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scenarios.cli import EXIT_BAD_INPUT, main
from scenarios.lessons import catalogue
from scenarios.model.lesson import Lesson
from scenarios.model.params import ParamError

ROOT = Path(__file__).resolve().parents[2]
LESSONS = catalogue.lessons()
NAMES = sorted({param.name for lesson in LESSONS for param in lesson.params})
# The refusals that list the known lesson ids are the longest; the value given is cut short.
MESSAGE_MAX = 200 + len(", ".join(catalogue.ids()))
# capsys is reset by hand between examples: each example reads only its own output.
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def exit_code(argv: list[str]) -> int:
    """The exit code of main, whether it returns one or argparse raises SystemExit."""
    try:
        return main(argv)
    except SystemExit as end:
        return end.code if isinstance(end.code, int) else 1


def one_clear_line(capsys: pytest.CaptureFixture[str], code: int, *needles: str) -> str:
    """Exit 2, nothing on stdout, one short line on stderr holding every needle; no traceback."""
    out, err = capsys.readouterr()
    assert code == EXIT_BAD_INPUT, (code, err)
    assert out == ""
    assert "Traceback" not in err
    assert err.endswith("\n")
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert len(lines[0]) <= MESSAGE_MAX, lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def value_text() -> st.SearchStrategy[str]:
    """Garbage values: any text, numbers too big or not finite, unicode digits, other bases."""
    return st.one_of(
        st.text(), st.integers().map(str), st.floats().map(repr),
        st.sampled_from(["", " ", "1e400", "9" * 5000, "١٢", "0x10", "nan", "-inf", "-0", "1_000",
                         "\n", "a\nb", "\u2028", "\x00", "\ud800", "\x1b[31m", "2.5", "true"]))


def assignment() -> st.SearchStrategy[str]:
    """NAME=VALUE strings, mostly broken: no '=', no name, unknown or unicode names, bad values."""
    name = st.one_of(st.sampled_from(NAMES), st.text(), st.just(""),
                     st.sampled_from(["ｔｈｒｅａｄｓ", "Threads", "线程", "a\nb", "-h", "--json"]))
    sep = st.sampled_from(["=", "=", "", "==", ":"])
    return st.one_of(st.text(), st.tuples(name, sep, value_text()).map("".join))


@FAST
@given(lesson=st.sampled_from(LESSONS), texts=st.lists(assignment(), min_size=1, max_size=3))
def test_a_bad_set_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], lesson: Lesson,
                                         texts: list[str]) -> None:
    try:
        lesson.parse(texts)
    except ParamError:
        pass
    else:
        assume(False)  # valid after all: that would run the lesson, which is not this test
    capsys.readouterr()
    # --set=TEXT: the text is the value even when it looks like an option (-h, --json)
    argv = ["run", lesson.id, *(f"--set={text}" for text in texts)]
    one_clear_line(capsys, exit_code(argv))


@FAST
@given(lesson=st.sampled_from(LESSONS), data=st.data())
def test_a_bad_value_names_the_parameter_and_its_range(capsys: pytest.CaptureFixture[str],
                                                       lesson: Lesson,
                                                       data: st.DataObject) -> None:
    param = data.draw(st.sampled_from(lesson.params), label="param")
    text = data.draw(value_text(), label="text")
    try:
        param.parse(text)
    except ParamError:
        pass
    else:
        assume(False)
    capsys.readouterr()
    code = exit_code(["run", lesson.id, f"--set={param.name}={text}"])
    line = one_clear_line(capsys, code, param.name, param.describe_range())
    assert line.startswith(f"error: {param.name} must be ")


@FAST
@given(argv=st.lists(st.text() | st.sampled_from(
    ["run", "list", "--set", "--backend", "--json", "race_counter", "-x", "a\nb", "--"]),
    max_size=4))
def test_any_arguments_end_cleanly(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    # Only argument lists that cannot start a run: a run of a lesson takes a while.
    assume("run" not in argv or not any(lesson.id in argv for lesson in LESSONS))
    assume(not any(arg.startswith("-h") or arg.startswith("--h") for arg in argv))
    capsys.readouterr()
    code = exit_code(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if code == 0:
        assert "list" in argv and err == ""
    else:
        assert code == EXIT_BAD_INPUT, (code, err)
        assert len(err.splitlines()) == 1, err


# -- regressions: what these properties found -----------------------------------------------------
def test_an_unrecognised_argument_with_a_line_break_stays_on_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    # argparse quotes unrecognised arguments as they are: 'a\nb' made two lines on stderr
    line = one_clear_line(capsys, exit_code(["list", "a\nb"]), "unrecognized arguments")
    assert line.endswith("a\\nb")


def test_an_unknown_lesson_with_a_long_id_is_cut_short(capsys: pytest.CaptureFixture[str]) -> None:
    one_clear_line(capsys, exit_code(["run", "x" * 5000]), "no lesson", "race_counter", "...")


def test_a_huge_value_is_refused_in_one_short_line(capsys: pytest.CaptureFixture[str]) -> None:
    # '9' * 4000 is a valid Python int: the refusal quoted all 4000 digits
    one_clear_line(capsys, exit_code(["run", "race_counter", "--set", "increments=" + "9" * 4000]),
                   "increments", "from 1 to 1000000", "(4000 characters)")


# -- as users run it ------------------------------------------------------------------------------
def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scenarios", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("assignment", "needles"), [
    ("increments=1e400", ("increments", "from 1 to 1000000", "1e400")),
    ("race_window=1e400", ("race_window", "from 0 to 5 ms", "'1e400'")),
    ("increments=" + "9" * 5000, ("increments", "from 1 to 1000000", "characters")),
    ("increments=0x10", ("increments", "0x10")),
    ("threads=١٢", ("threads", "from 2 to 8", "12")),  # Unicode digits read as Python reads them
    ("ｉｎｃｒｅｍｅｎｔｓ=5", ("unknown parameter", "ｉｎｃｒｅｍｅｎｔｓ", "increments")),
    ("step=\n", ("step", "one of", "''")),
])
def test_the_real_command_refuses_garbage_in_one_line(assignment: str,
                                                     needles: tuple[str, ...]) -> None:
    done = cli("run", "race_counter", "--set", assignment)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_the_real_command_reads_unicode_digits() -> None:
    done = cli("run", "race_counter", "--set", "increments=١٢٣", "--json")
    assert done.returncode == 0, done.stderr
    assert '"increments": 123' in done.stdout
