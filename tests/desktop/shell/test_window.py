"""The window end to end: run, stop, close mid-run, bad parameters, live parameters."""

from __future__ import annotations

import os
import time

import pytest

from desktop.shell.window import LIVE_CHANGE_MS
from scenarios.model.fairness import FULL_CORE, SPEEDUP_SLACK, speedup_bound
from tests.support import child_processes, plain_text, run_in_window

SMALL = {
    "thread_basics": ["delay_1=0.05", "delay_2=0.1", "count=2"],
    "race_counter": ["increments=300"],
    "pool_speedup": ["tasks=2000", "pool_size=2"],
}
LONG = {
    "thread_basics": ["delay_1=5", "delay_2=5", "count=50"],
    "race_counter": ["increments=1000000", "use_lock=true"],
    "pool_speedup": ["tasks=1000000"],
}


@pytest.mark.parametrize("backend", ["thread", "process"])
@pytest.mark.parametrize("lesson_id", list(SMALL))
def test_each_lesson_runs_and_draws(qtbot, window, lesson_id, backend):
    result = run_in_window(qtbot, window, lesson_id, backend, SMALL[lesson_id])
    assert result.error is None and not result.stopped
    data = window.session.data
    assert data.rows, "the timeline has a row per thread/process"
    assert data.spans, "the timeline has bars"
    assert data.metric_names("core"), "per-core CPU use was sampled"
    assert window.console.toPlainText().strip(), "the console shows output"
    assert window.run_action.isEnabled() and not window.stop_action.isEnabled()


def test_race_result_card_shows_lost_updates(qtbot, window):
    result = run_in_window(qtbot, window, "race_counter", "thread", SMALL["race_counter"])
    assert result.values["lost_updates"] > 0
    assert "updates lost" in window.result_card.headline_text()


def test_pool_workers_get_their_own_rows(qtbot, window):
    run_in_window(qtbot, window, "pool_speedup", "process", SMALL["pool_speedup"])
    pids = {row.pid for row in window.session.data.rows.values()}
    assert len(pids) >= 3, "the lesson's process and two pool workers each have rows"


@pytest.mark.parametrize("backend", ["thread", "process"])
@pytest.mark.parametrize("lesson_id", list(LONG))
def test_stop_mid_run_ends_within_a_second(qtbot, window, lesson_id, backend):
    window.select(lesson_id)
    window.set_backend(backend)
    assert window.apply_assignments(LONG[lesson_id])
    window.run_action.trigger()
    qtbot.wait(700)
    assert window.running
    pressed = time.perf_counter()
    with qtbot.waitSignal(window.run_finished, timeout=5000) as blocker:
        window.stop_action.trigger()
    assert time.perf_counter() - pressed < 1.0
    assert blocker.args[0].stopped
    assert not child_processes()


@pytest.mark.parametrize("backend", ["thread", "process"])
def test_close_mid_run_leaves_nothing(qtbot, window, backend):
    window.select("pool_speedup")
    window.set_backend(backend)
    assert window.apply_assignments(LONG["pool_speedup"])
    window.run_action.trigger()
    qtbot.wait(600)
    window.close()
    assert not window.running
    assert not child_processes()


def test_bad_parameter_is_refused_with_a_message(qtbot, window):
    window.select("race_counter")
    assert not window.apply_assignments(["increments=-5"])
    assert "increments" in window.last_error and "-5" in window.last_error
    assert "increments" in window.statusBar().currentMessage()
    assert window.params.values()["increments"] == 10_000, "nothing changed"


def test_editors_cannot_hold_out_of_range_values(qtbot, window):
    window.select("race_counter")
    editor = window.params._editors["increments"]
    editor.setValue(-5)
    assert editor.value() == 1


def test_live_parameter_reaches_the_running_lesson(qtbot, window):
    window.select("race_counter")
    assert window.apply_assignments(["increments=1000000"])
    window.run_action.trigger()
    qtbot.wait(300)
    window.params._editors["use_lock"].setChecked(True)
    assert window.session.run.params["use_lock"] is True
    assert not window.params._editors["threads"].isEnabled(), "non-live parameters are locked"
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()


def test_a_flood_of_live_changes_reaches_the_run_as_its_newest_values(qtbot, window):
    """Issue 22, case 8: 500 changes in a second; unchanged values are neither logged nor marked."""
    window.select("race_counter")
    assert window.apply_assignments(["increments=1000000", "race_window=0.0"])
    window.run_action.trigger()
    qtbot.wait(300)
    window.params.set_values({"race_window": 0.0})  # the value it has: nothing to say
    for i in range(500):
        window.params.set_values({"race_window": 0.1 * (i % 2 + 1)})
        if i % 50 == 0:
            qtbot.wait(10)
    qtbot.wait(2 * LIVE_CHANGE_MS)
    assert window.session.run.params["race_window"] == pytest.approx(0.2)  # the newest
    data = window.session.data
    said = [line.text for line in data.lines if line.text.startswith("Race window:")]
    assert not any("0 → 0 ms" in text for text in said)
    assert 1 <= len(said) <= 30, len(said)  # one send per LIVE_CHANGE_MS at the most
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()


def test_pool_speedup_on_the_thread_back_end_never_shows_more_than_the_cores_unexplained(
        qtbot, window):
    """The card and the chart say why when a speedup is above what the cores allow."""
    result = run_in_window(qtbot, window, "pool_speedup", "thread", ["tasks=4000"])
    values = result.values
    assert 0 < values["serial_core_share"] <= 1.05 and values["deck_pool_s"] > 0
    bound = speedup_bound(values["pool_size"], values["cpu_count"])
    headline = plain_text(window.result_card.headline_text())
    legend = plain_text(window.compare.speedup.legend.text())
    odd = (values["speedup"] > bound * SPEEDUP_SLACK or values["serial_core_share"] < FULL_CORE
           or max(values["round_speedups"]) > bound * SPEEDUP_SLACK)  # a round beside the median
    assert bool(values["caveat"]) == odd, values
    if odd:
        assert values["caveat"] in headline and values["caveat"] in legend
    else:
        assert "face value" not in legend and "⚠" not in headline


def named_semaphores() -> set[str]:
    """The named semaphores of this machine (multiprocessing's queues and locks keep them)."""
    try:
        return {name for name in os.listdir("/dev/shm") if name.startswith("sem.")}
    except OSError:
        return set()


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="no /dev/shm here")
def test_runs_on_the_process_back_end_leave_no_named_semaphores(qtbot, window):
    """Issue 22, case 9: six per run stayed in /dev/shm until the app ended."""
    before = named_semaphores()
    for _ in range(3):
        run_in_window(qtbot, window, "race_counter", "process", ["increments=100"])
    assert named_semaphores() - before == set()


def test_another_lesson_shows_nothing_of_the_last_lessons_run(qtbot, window) -> None:
    run_in_window(qtbot, window, "race_counter", "thread", ["increments=200"])
    assert window.timeline.data is not None and window.console.toPlainText()
    window.select("gil_cpu_bound")
    assert window.timeline.data is None
    assert window.shown_data is None
    assert not window.console.toPlainText().strip()
    assert not window.cores.has_data
    assert "Press Run" in plain_text(window.result_card.headline_text())


def test_the_window_opens_inside_the_screens_work_area(window) -> None:
    area = window.screen().availableGeometry()
    assert area.contains(window.frameGeometry())


def test_the_panes_keep_their_widths_across_lessons_and_runs(qtbot, window) -> None:
    window.select("low_level_thread")
    qtbot.wait(50)
    widths = window.splitters["main"].sizes()
    run_in_window(qtbot, window, "race_counter", "thread", ["increments=100"])
    for lesson_id in ("gil_cpu_bound", "deadlock", "cluster_map", "responsiveness"):
        window.select(lesson_id)
        qtbot.wait(20)
        moved = [abs(a - b) for a, b in zip(window.splitters["main"].sizes(), widths,
                                            strict=True)]
        assert max(moved) <= 1, f"{lesson_id}: {window.splitters['main'].sizes()} != {widths}"


def test_the_ui_lag_strip_is_folded_but_in_the_lesson_about_responsiveness(window) -> None:
    window.select("race_counter")
    assert window.lag_box.folded
    window.select("responsiveness")
    assert not window.lag_box.folded
    window.lag_box.button.click()  # one click folds it, one shows it
    assert window.lag_box.folded
