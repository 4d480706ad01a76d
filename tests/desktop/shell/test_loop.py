"""Loop mode in the window: round after round, a live change between them, each round recorded."""

from __future__ import annotations

import json

from desktop.data import run_file
from scenarios.engine.events import CHANGE_ARROW


def wait_rounds(qtbot, window, count: int) -> None:
    """Wait until the running loop has finished `count` rounds."""
    qtbot.waitUntil(lambda: len(window.session.rounds) >= count, timeout=30_000)


def race_loop_with_the_lock_turned_on(qtbot, window, increments: int, before: int,
                                      after: int) -> int:
    """Loop race_counter with the lock off, tick it on as an instructor would, run on, stop.

    The lock is ticked after `before` rounds and the run stopped `after` more; returns how many
    rounds had ended at the change.
    """
    window.select("race_counter")
    assert window.apply_assignments([f"increments={increments}", "use_lock=false"])
    window.loop_action.setChecked(True)
    window.run_action.trigger()
    wait_rounds(qtbot, window, before)
    window.params._editors["use_lock"].setChecked(True)
    changed_at = len(window.session.rounds)
    wait_rounds(qtbot, window, changed_at + after)
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()
    return changed_at


def test_turning_the_lock_on_in_a_loop_stops_the_losses(qtbot, window):
    """Lock off → on mid-loop: the rounds before lose updates, the rounds after lose none."""
    changed_at = race_loop_with_the_lock_turned_on(qtbot, window, 2000, before=2, after=3)
    rounds = window.session.rounds
    lost = [r.values["lost_updates"] for r in rounds]
    assert all(n > 0 for n in lost[:2]), f"no update lost before the lock: {lost}"
    # the round running at the change may lose some; every round that began after it, none
    assert all(n == 0 for n in lost[changed_at + 1:]), f"updates lost with the lock: {lost}"
    # every complete round is in the history and on the race chart; the stopped one is not
    records = window.history.of_lesson("race_counter")
    assert len(records) == len(rounds) and all(r.ok for r in records)
    assert [r.params["use_lock"] for r in records][-1] is True
    assert not window.compare.race.is_empty
    # the change is on the timeline where it happened, and in the console
    notes = [label for _, _, label in window.session.data.notes if CHANGE_ARROW in label]
    assert notes == ["Use a lock: no → yes"]
    assert window.timeline.captions.change_lines, "no line across the timeline at the change"
    assert "Round" in window.result_card._title.text()
    # each round counts as a run for the lesson's checklist
    lesson = window.lesson
    assert window.try_progress.done(lesson)[:2] == [t.text for t in lesson.tries[:2]]


def test_a_loop_is_refused_on_the_ui_back_end(qtbot, window):
    window.select("race_counter")
    window.set_backend("ui")
    window.loop_action.setChecked(True)
    window.run_action.trigger()
    assert not window.running
    assert "Loop needs the thread or process back end" in window.last_error


def test_loop_cannot_be_toggled_during_a_run(qtbot, window):
    window.select("race_counter")
    assert window.apply_assignments(["increments=1000000"])
    window.run_action.trigger()
    assert not window.loop_action.isEnabled()
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()
    assert window.loop_action.isEnabled()


def test_a_saved_loop_opens_again_with_its_shared_rows(qtbot, window):
    """Later rounds' threads print on earlier rows; the saved file keeps it that way."""
    window.select("thread_basics")
    assert window.apply_assignments(["delay_1=0.01", "delay_2=0.01", "count=2"])
    window.loop_action.setChecked(True)
    window.run_action.trigger()
    wait_rounds(qtbot, window, 3)
    with qtbot.waitSignal(window.run_finished, timeout=5000):
        window.stop_action.trigger()
    data = window.session.data
    document = json.loads(json.dumps(run_file.to_document(data, window.shown_meta)))
    opened, _ = run_file.from_document(document)
    assert len(opened.rows) == len(data.rows) == 3  # main, Thread 1, Thread 2
    assert len(opened.lines) == len(data.lines)


def test_a_change_mid_round_is_recorded_from_the_next_round(qtbot, window):
    changed_at = race_loop_with_the_lock_turned_on(qtbot, window, 3000, before=1, after=2)
    locks = [r.params["use_lock"] for r in window.history.of_lesson("race_counter")]
    # the round running at the change started without the lock, and is recorded so
    assert locks[:changed_at + 1] == [False] * (changed_at + 1) and all(locks[changed_at + 1:])
