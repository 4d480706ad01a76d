"""Step mode in the window: keys choose who runs next, and the schedule decides the outcome."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication

from tests.support import plain_text


def start_stepped(qtbot, window, *assignments: str) -> None:
    """race_counter (or the lesson chosen) with step mode on, started; its threads at a point."""
    window.select("race_counter")
    window.set_backend("thread")
    assert window.apply_assignments(["threads=2", "increments=1", *assignments])
    window.step_action.setChecked(True)
    window.start_run()
    qtbot.waitUntil(lambda: len(window.step_panel.button_texts()) == 2, timeout=5000)


def press(qtbot, window, key: Qt.Key) -> None:
    """Press a step key once every thread waits at a point (the buttons are back)."""
    qtbot.waitUntil(lambda: any(window.step_panel.button_texts()), timeout=5000)
    before = window.step_control.stepper.schedule()
    QTest.keyClick(window, key)
    qtbot.waitUntil(lambda: window.step_control.stepper is None
                    or window.step_control.stepper.schedule() != before, timeout=5000)


def test_keys_1_2_1_2_lose_an_update_and_the_panel_shows_each_choice(qtbot, window) -> None:
    start_stepped(qtbot, window)
    assert window.step_panel.button_texts() == ["1  Thread 1 → read x x = 0",
                                                "2  Thread 2 → read x x = 0"]
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as finished:
        for key, x in ((Qt.Key.Key_1, 0), (Qt.Key.Key_2, 0), (Qt.Key.Key_1, 1)):
            press(qtbot, window, key)  # both read 0; thread 1 writes 1
            qtbot.waitUntil(lambda x=x: plain_text(window.step_panel.shared.text())
                            == f"Shared: x = {x}", timeout=5000)
        assert window.step_panel.button_texts() == ["2  Thread 2 → write x x = 1"]
        press(qtbot, window, Qt.Key.Key_2)  # and thread 2 writes 1 too: one update lost
    values = finished.args[0].values
    assert (values["actual"], values["lost_updates"]) == (1, 1)
    assert "1 2 1 2" in window.step_panel.schedule.text()


def test_a_thread_waiting_for_the_lock_has_no_button_to_press(qtbot, window) -> None:
    start_stepped(qtbot, window, "use_lock=true")
    press(qtbot, window, Qt.Key.Key_1)  # thread 1 takes the lock
    qtbot.waitUntil(lambda: "x lock held by Thread 1" in window.step_panel.locks.text(),
                    timeout=5000)
    texts = window.step_panel.button_texts()
    assert "waits for x lock, held by Thread 1" in texts[1]
    with qtbot.waitSignal(window.run_finished, timeout=5000) as finished:
        window.stop_action.trigger()  # the parked threads end within a second
    assert finished.args[0].stopped
    assert "Stopped." in window.step_panel.note.text()


def test_run_the_rest_at_random_finishes_the_run(qtbot, window) -> None:
    start_stepped(qtbot, window)
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as finished:
        window.step_panel.rest_button.click()
    assert finished.args[0].values["expected"] == 2
    steps = plain_text(window.step_panel.schedule.text()).split(":")[-1].split()
    assert len(steps) == 4  # every step of both threads, at random


def test_the_deadlock_is_said_with_who_holds_and_waits_for_what(qtbot, window) -> None:
    window.select("deadlock")
    window.set_backend("thread")
    assert window.apply_assignments(["transfers=1", "work_s=0"])
    window.step_action.setChecked(True)
    window.start_run()
    for key in (Qt.Key.Key_1, Qt.Key.Key_2):
        press(qtbot, window, key)
    qtbot.waitUntil(lambda: "deadlock" in window.step_panel.note.text(), timeout=5000)
    assert "Thread 1 holds lock A and waits for lock B, held by Thread 2" in \
        window.step_panel.note.text()
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()


def test_step_mode_asks_for_the_thread_or_process_back_end(qtbot, window) -> None:
    window.select("race_counter")
    window.set_backend("ui")
    window.step_action.setChecked(True)
    window.start_run()
    assert not window.running
    assert "Step mode runs once, on the thread or process back end" in window.last_error


def test_two_processes_step_by_key_and_show_their_pids(qtbot, window) -> None:
    window.select("process_lock")
    window.set_backend("thread")
    assert window.apply_assignments(["times=1", "pause=0", "race_window=0"])
    window.step_action.setChecked(True)
    window.start_run()
    qtbot.waitUntil(lambda: len(window.step_panel.button_texts()) == 2, timeout=10_000)
    texts = window.step_panel.button_texts()
    assert texts[0].startswith("1  deposit (pid ") and "read balance balance = 200" in texts[0]
    assert texts[1].startswith("2  withdraw (pid ")
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as finished:
        for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2):
            press(qtbot, window, key)
    values = finished.args[0].values
    assert (values["final_balance"], values["lost_updates"]) == (199, 1)  # the deposit lost


def test_back_undoes_the_last_step_by_replaying_the_rest(qtbot, window) -> None:
    start_stepped(qtbot, window)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2):
        press(qtbot, window, key)
    first = window.step_control.stepper
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.step_control.stepper not in (None, first)
                    and window.step_control.stepper.schedule() == [1]
                    and any(window.step_panel.button_texts()), timeout=10_000)
    # thread 1 has read x; thread 2 has not: its button is back
    assert window.step_panel.button_texts()[1] == "2  Thread 2 → read x x = 0"
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()


def test_replay_plays_a_typed_schedule_to_its_outcome(qtbot, window) -> None:
    start_stepped(qtbot, window)
    window.step_panel.schedule_edit.setText("1 2 1 2")
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as first:
        window.step_panel.replay_button.click()  # the run on screen ends first
    assert first.args[0].stopped
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as replayed:
        pass
    assert replayed.args[0].values["actual"] == 1
    assert replayed.args[0].values["schedule"] == "1 2 1 2"
    window.step_panel.schedule_edit.setText("1 x")
    window.step_panel.replay_button.click()
    assert "is not a thread number" in window.step_panel.note.text() and not window.running


def test_explore_counts_the_outcomes_and_a_click_replays_one(qtbot, window) -> None:
    window.select("race_counter")
    window.set_backend("thread")
    assert window.apply_assignments(["threads=2", "increments=1"])
    window.step_action.setChecked(True)
    window.step_panel.explore_button.click()
    bars = window.step_panel.outcomes
    qtbot.waitUntil(lambda: bool(bars.bar_texts()), timeout=20_000)
    assert bars.bar_texts() == ["4 of 6   x = 1, 1 lost", "2 of 6   x = 2"]
    assert "4 of 6</b> schedules lose an update" in bars.summary.text()
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as replayed:
        bars.click(0)  # its shortest schedule: both read, then both write
    assert replayed.args[0].values["schedule"] == "1 2 1 2"
    assert replayed.args[0].values["actual"] == 1


def test_after_1_2_1_2_the_step_tab_stays_in_front_with_the_interleaving(qtbot, window) -> None:
    start_stepped(qtbot, window)
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2):
            press(qtbot, window, key)
    assert window.front_tab == "Step"
    assert len(window.history.records) == 1  # Compare has the run, behind
    # each step's wait for the learner is drawn as such, not as the thread running
    assert len(window.shown_data.spans["parked"]) == 4
    table = window.step_panel.interleaving
    assert [row.cell for row in table.rows] == ["read x → 0", "read x → 0", "write x ← 1",
                                                "write x ← 1"]
    assert [row.lost for row in table.rows] == [False, False, False, True]
    assert "write x ← 1  ✗ update lost" in table.text().splitlines()[4]
    table.copy()
    assert QApplication.clipboard().text() == table.text()


def test_a_digit_chooses_a_thread_though_a_parameter_field_had_the_focus(qtbot, window) -> None:
    window.select("race_counter")
    window.set_backend("thread")
    assert window.apply_assignments(["threads=2", "increments=1"])
    field = window.params.findChildren(QAbstractSpinBox)[0]
    field.setFocus()
    window.step_action.setChecked(True)
    window.start_run()
    qtbot.waitUntil(lambda: any(window.step_panel.button_texts()), timeout=5000)
    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.step_control.stepper.schedule() == [1], timeout=5000)
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()


def test_a_step_key_before_run_says_to_press_run_first(qtbot, window) -> None:
    window.select("race_counter")
    window.step_action.setChecked(True)
    QTest.keyClick(window, Qt.Key.Key_1)
    assert "Press Run (F5) first" in window.step_panel.note.text()
    assert not window.running


def test_ctrl_right_in_a_number_field_goes_to_the_next_lesson(qtbot, window) -> None:
    window.select("race_counter")
    field = window.params.findChildren(QAbstractSpinBox)[0]
    field.setFocus()
    QTest.keyClick(window.focusWidget() or field, Qt.Key.Key_Right,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.lesson.id != "race_counter"


def test_another_lesson_clears_the_step_table_and_the_explored_bars(qtbot, window) -> None:
    start_stepped(qtbot, window)
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2):
            press(qtbot, window, key)
    window.select("deadlock")
    assert window.step_panel.interleaving.rows == []
    assert window.step_panel.outcomes.bar_texts() == []
    assert "1 2 1 2" not in window.step_panel.schedule.text()
