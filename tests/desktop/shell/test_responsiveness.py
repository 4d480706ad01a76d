"""The responsiveness lesson in the window: the freeze is measured, the three ways compared."""

from __future__ import annotations

import statistics

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.shell.window import MainWindow
from scenarios.lessons.responsiveness import MISSED_AFTER_MS


def run_way(qtbot, window: MainWindow, way: str, work: str = "compute",
            seconds: float = 0.5) -> dict:
    """Run the lesson one way and return its result values."""
    window.select("responsiveness")
    assert window.apply_assignments([f"way={way}", f"work={work}", f"seconds={seconds}"])
    window.ask_before_freezing = False
    with qtbot.waitSignal(window.run_finished, timeout=30_000) as blocker:
        window.run_action.trigger()
    result = blocker.args[0]
    assert result.error is None and not result.stopped
    return result.values


def test_the_ui_way_freezes_the_window_for_the_whole_work(qtbot, window):
    values = run_way(qtbot, window, "ui", seconds=1.0)
    assert window.session.data.backend == "ui"
    # one probe of the event loop waited through the whole work (less at most its own 10 ms)
    assert values["ui_lag_max_ms"] >= values["work_s"] * 1000 - 10
    assert values["clicks_missed"] >= values["clicks_sent"] - 2 > 0, "clicks were answered"
    assert values["slowest_click_ms"] >= 800
    assert f"more than {MISSED_AFTER_MS} ms late" in window.poke.verdict.text()


@pytest.mark.parametrize("way", ["qthread", "process"])
def test_off_the_window_thread_clicks_are_answered(qtbot, window, way):
    values = run_way(qtbot, window, way, seconds=1.5)
    assert window.session.data.backend == {"qthread": "thread", "process": "process"}[way]
    delays = window.poke.delays_ms
    assert values["clicks_sent"] >= 10
    assert statistics.median(delays) < 50, delays
    assert all(delay < MISSED_AFTER_MS for delay in delays), delays


def test_a_sleep_on_the_window_thread_freezes_it_too(qtbot, window):
    values = run_way(qtbot, window, "ui", work="sleep")
    assert values["steps"] == 0 and values["ui_lag_max_ms"] >= values["work_s"] * 1000 - 10


def test_three_ways_make_a_summary(qtbot, window):
    for way in ("ui", "qthread", "process"):
        run_way(qtbot, window, way)
    assert window.tabs.currentWidget() is window.compare
    chart = window.compare.ways
    assert not chart.is_empty
    labels = [label.toPlainText() for label in chart.bar_labels]
    assert len(labels) == 3 and labels[1].startswith("0 of") and labels[2].startswith("0 of")
    assert not labels[0].startswith("0 of"), "the ui way missed no click"
    lesson = window.lesson
    assert window.try_progress.done(lesson) == [t.text for t in lesson.tries[:3]]


def test_the_ui_way_asks_first_and_cancel_runs_nothing(qtbot, window, monkeypatch):
    window.select("responsiveness")
    assert window.apply_assignments(["way=ui"])
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: QMessageBox.StandardButton.Cancel)
    window.run_action.trigger()
    assert not window.running and window.session is None
    assert "Running" not in window.result_card.headline_text(), "the card says it runs"


def test_loop_is_refused_for_the_lesson_of_ways(qtbot, window):
    window.select("responsiveness")
    window.loop_action.setChecked(True)
    window.run_action.trigger()
    assert not window.running and "Loop is not for this lesson" in window.last_error


def test_the_way_picks_the_back_end(qtbot, window):
    window.set_backend("thread")
    window.select("responsiveness")
    assert not window.backend_box.isEnabled(), "the way chooses; the box only shows it"
    assert window.tabs.currentWidget() is window.poke
    window.params._editors["way"].setCurrentText("process")
    assert window.backend_box.currentText() == "process"
    window.select("race_counter")
    assert window.backend_box.isEnabled()
    assert window.backend_box.currentText() == "thread", "the user's own choice comes back"
    assert not window.tabs.isTabVisible(window.tabs.indexOf(window.poke))
