"""process_lock: without a lock, balance updates are lost every run; with one, none are."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Line, Mark, Metric, Span
from scenarios.lessons import catalogue
from tests.support import check_finished, check_stop_when

BACKENDS = ("thread", "process")
LESSON = catalogue.get("process_lock")
DEFAULTS = LESSON.resolve({})
# Fewer, quicker updates than the defaults for the repeated runs, keeping what makes the race
# certain: the window between read and write is longer than the pause between updates, so each
# process is inside its read-write step most of the time and the two steps must overlap.
QUICK = {"times": 40, "pause": 2.0, "race_window": 4.0}
REPEATS = 3


def check_consistent(values: dict) -> None:
    """The lost count agrees with the balance: kept deposits minus kept withdrawals is the drift."""
    kept = values["updates"] - values["lost_updates"]
    drift = values["final_balance"] - values["expected"]
    assert 0 <= values["lost_updates"] <= values["updates"]
    assert (kept + drift) % 2 == 0, values
    kept_deposits, kept_withdrawals = (kept + drift) // 2, (kept - drift) // 2
    assert 0 <= kept_deposits <= values["updates"] // 2, values
    assert 0 <= kept_withdrawals <= values["updates"] // 2, values


def test_defaults_are_the_racy_ones() -> None:
    assert DEFAULTS["use_lock"] is False
    assert DEFAULTS["times"] == 100 and DEFAULTS["pause"] == 10.0
    assert DEFAULTS["race_window"] > DEFAULTS["pause"]  # so the steps cannot miss each other


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_a_lock_updates_are_lost_every_run(run_lesson, backend: str) -> None:
    for attempt in range(REPEATS):
        result, _ = run_lesson("process_lock", {**QUICK, "use_lock": False}, backend)
        values = check_finished(result, LESSON)
        assert values["expected"] == 200 and values["updates"] == 2 * QUICK["times"]
        assert values["lost_updates"] > 0, f"nothing lost on attempt {attempt + 1}: {values}"
        check_consistent(values)


@pytest.mark.parametrize("backend", BACKENDS)
def test_at_defaults_updates_are_lost_and_the_balance_is_plotted(run_lesson, backend) -> None:
    result, events = run_lesson("process_lock", {}, backend)
    values = result.values
    assert values["use_lock"] is False and values["race_window"] == DEFAULTS["race_window"]
    assert values["lost_updates"] > 0, values
    check_consistent(values)
    # two processes send their values in batches: put them back in time order
    balances = [e.value for e in sorted(events, key=lambda e: getattr(e, "time", 0))
                if isinstance(e, Metric) and e.name == "balance"]
    assert balances[0] == 200 and balances[-1] == values["final_balance"]
    assert len(balances) == 1 + 2 * DEFAULTS["times"]
    console = [e.text for e in events if isinstance(e, Line)]
    assert any(text.startswith(f"balance: {values['final_balance']} (expected 200)")
               for text in console)
    rows = {e.worker.name for e in events if isinstance(e, Mark) and e.label == "started"}
    assert {"deposit", "withdraw"} <= rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_with_a_lock_nothing_is_lost(run_lesson, backend: str) -> None:
    result, events = run_lesson("process_lock", {**QUICK, "use_lock": True}, backend)
    values = result.values
    assert result.error is None and not result.stopped
    assert values["use_lock"] is True
    assert values["lost_updates"] == 0, values
    assert values["final_balance"] == values["expected"] == 200
    holders = {e.worker.name for e in events if isinstance(e, Span) and e.kind == "hold_lock"}
    assert holders == {"deposit", "withdraw"}  # both rows show the lock being held


def test_with_a_lock_at_defaults_the_balance_is_200(run_lesson) -> None:
    result, _ = run_lesson("process_lock", {"use_lock": True}, "thread")
    assert result.values["lost_updates"] == 0
    assert result.values["final_balance"] == 200


@pytest.mark.parametrize("use_lock", [False, True])
@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_both_processes_within_a_second(backend: str, use_lock: bool) -> None:
    params = {"times": 1000, "race_window": 20.0, "use_lock": use_lock}
    check_stop_when(
        "process_lock", params, backend,
        lambda events: sum(isinstance(e, Metric) for e in events) >= 5,  # both busy updating
        timeout=30, never="the processes never got going")


def test_the_code_view_shows_read_pause_write() -> None:
    source = LESSON.source()
    for name in ("def change", "def deposit", "def withdraw", "def run"):
        assert name in source
    assert "balance.value = seen + amount" in source
    assert "lab.mp.Lock()" in source
