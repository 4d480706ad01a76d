"""race_counter: without a lock updates are lost, every time; with one, none are."""

from __future__ import annotations

import sys
import time

import pytest

from scenarios.engine.backends import result_of
from scenarios.engine.events import Line, Span
from scenarios.lessons import catalogue
from tests.support import new_run, wait_until_running

BACKENDS = ("thread", "process")
LESSON = catalogue.get("race_counter")
DEFAULTS = LESSON.resolve({})
# Fewer increments than the default (10,000) for the repeated runs: the race shows just the same
# (the pause between read and write lets the other thread in on almost every add), in a tenth of
# the time. One run per back end also checks the true defaults.
QUICK = {"increments": 1_000}
REPEATS = 3


def test_defaults_are_the_racy_ones() -> None:
    assert DEFAULTS["use_lock"] is False
    assert DEFAULTS["step"] == "read, pause, write"
    assert DEFAULTS["threads"] == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_a_lock_updates_are_lost_every_time(run_lesson, backend: str) -> None:
    for attempt in range(REPEATS):
        result, _ = run_lesson("race_counter", {**QUICK, "use_lock": False}, backend)
        values = result.values
        assert result.error is None and not result.stopped
        assert values["expected"] == 2 * QUICK["increments"]
        assert values["lost_updates"] > 0, f"no update lost on attempt {attempt + 1}: {values}"
        assert values["actual"] + values["lost_updates"] == values["expected"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_at_defaults_updates_are_lost(run_lesson, backend: str) -> None:
    result, events = run_lesson("race_counter", {}, backend)
    values = result.values
    assert values["expected"] == DEFAULTS["threads"] * DEFAULTS["increments"]
    assert values["lost_updates"] > 0, values
    assert values["use_lock"] is False
    # DESIGN: say the Python version (the engine adds it to every result, with the GIL's state)
    assert values["python"].startswith(f"Python {sys.version.split()[0]}")
    console = [e.text for e in events if isinstance(e, Line)]
    assert f"expected {values['expected']}, got {values['actual']}" in console
    assert not [e for e in events if isinstance(e, Span) and e.kind == "hold_lock"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_with_a_lock_no_update_is_lost(run_lesson, backend: str) -> None:
    result, events = run_lesson("race_counter", {"use_lock": True}, backend)
    values = result.values
    assert result.error is None and not result.stopped
    assert values["lost_updates"] == 0, values
    assert values["actual"] == values["expected"] == 2 * DEFAULTS["increments"]
    assert values["use_lock"] is True
    kinds = {e.kind for e in events if isinstance(e, Span)}
    assert "hold_lock" in kinds  # the timeline shows the lock being held


def test_four_threads_race_too_and_a_lock_fixes_it(run_lesson) -> None:
    racy, _ = run_lesson("race_counter", {"threads": 4, **QUICK}, "thread")
    safe, _ = run_lesson("race_counter", {"threads": 4, **QUICK, "use_lock": True}, "thread")
    assert racy.values["expected"] == 4 * QUICK["increments"]
    assert racy.values["lost_updates"] > 0
    assert safe.values["lost_updates"] == 0


def test_plain_statement_with_a_lock_is_exact(run_lesson) -> None:
    result, _ = run_lesson("race_counter", {**QUICK, "step": "x += 1", "use_lock": True}, "thread")
    assert result.values["lost_updates"] == 0


def test_the_code_view_shows_the_code_that_runs() -> None:
    source = LESSON.source()
    assert "def add_one" in source and "def increment" in source and "def run" in source
    assert "shared.x = value + 1" in source


@pytest.mark.parametrize("backend", ["thread", "process"])
@pytest.mark.parametrize("use_lock", [False, True])
def test_a_stopped_race_tells_lost_from_never_made(backend: str, use_lock: bool) -> None:
    """Stop mid-run: lost + never made + x = threads × increments; with the lock none is lost."""
    run = new_run("race_counter", {"increments": 1_000_000, "use_lock": use_lock}, backend)
    seen: list = []
    run.start()
    try:
        wait_until_running(run, seen)
        time.sleep(0.3)
        run.stop()
        assert run.wait(10)
        seen += run.collector.drain()
    finally:
        run.close()
    result = result_of(seen)
    assert result is not None and result.stopped
    values = result.values
    assert "additions_made" in values, values
    assert values["expected"] == 2_000_000
    assert 0 < values["additions_made"] < 2_000_000 and values["never_made"] > 0
    assert values["lost_updates"] + values["never_made"] + values["actual"] == 2_000_000
    if use_lock:
        assert values["lost_updates"] == 0
