"""The "what to try" progress: finished runs tick a lesson's tries once, a reset unticks them.

The ticks outlive the app in the settings file (a damaged value is ignored).
"""

from __future__ import annotations

from desktop.data import try_state
from desktop.data.try_state import TryProgress, parse_ticks
from desktop.shell.settings import Settings
from scenarios.lessons import catalogue
from tests.support import run_in_window

RACE = catalogue.get("race_counter")
LOCK_OFF, LOCK_ON, PLAIN, STEPPED = (t.text for t in RACE.tries)


def race(progress: TryProgress, use_lock: bool, lost: int, **ending) -> list[str]:
    """Record a race_counter run that ended with `lost` updates lost."""
    params = RACE.resolve({"use_lock": use_lock})
    ended = {"error": None, "stopped": False, **ending}
    return progress.record(RACE, "thread", params, {"lost_updates": lost}, ended["error"],
                           ended["stopped"])


def test_a_run_ticks_what_it_did_once_and_in_the_lessons_order():
    progress = TryProgress()
    assert race(progress, use_lock=True, lost=0) == [LOCK_ON]
    assert race(progress, use_lock=True, lost=0) == [], "ticked already: nothing new"
    assert race(progress, use_lock=False, lost=9) == [LOCK_OFF]
    assert progress.done(RACE) == [LOCK_OFF, LOCK_ON]


def test_failed_and_stopped_runs_tick_nothing():
    progress = TryProgress()
    assert race(progress, use_lock=False, lost=9, stopped=True) == []
    assert race(progress, use_lock=False, lost=9, error="RuntimeError: no") == []
    assert progress.record(RACE, "thread", RACE.resolve({}), {}, "crashed", False) == []
    assert progress.done(RACE) == []


def test_reset_unticks_only_that_lesson():
    progress = TryProgress()
    race(progress, use_lock=False, lost=3)
    pool = catalogue.get("pool_basics")
    progress.record(pool, "process", pool.resolve({"processes": 1}), {"workers_used": 1}, None,
                    False)
    progress.reset(RACE)
    assert progress.done(RACE) == []
    assert progress.done(pool) == [pool.tries[0].text]
    assert race(progress, use_lock=False, lost=3) == [LOCK_OFF], "it ticks again"


def test_ticks_are_remembered_between_sessions(tmp_path):
    path = tmp_path / "settings.ini"
    race(TryProgress(Settings(path)), use_lock=False, lost=5)
    assert TryProgress(Settings(path)).done(RACE) == [LOCK_OFF]
    again = TryProgress(Settings(path))
    again.reset(RACE)
    assert TryProgress(Settings(path)).done(RACE) == []


def test_session_ticks_join_the_remembered_ones(tmp_path):
    path = tmp_path / "settings.ini"
    race(TryProgress(Settings(path)), use_lock=False, lost=5)
    progress = TryProgress()  # as the window starts: no settings yet
    race(progress, use_lock=True, lost=0)
    progress.remember_in(Settings(path))
    assert progress.done(RACE) == [LOCK_OFF, LOCK_ON]
    assert TryProgress(Settings(path)).done(RACE) == [LOCK_OFF, LOCK_ON]


def test_a_damaged_value_is_ignored_and_replaced(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text('[tries]\nrace_counter="{not json"\npool_basics=42\n')
    progress = TryProgress(Settings(path))
    assert progress.done(RACE) == [] and progress.done(catalogue.get("pool_basics")) == []
    race(progress, use_lock=False, lost=1)
    assert TryProgress(Settings(path)).done(RACE) == [LOCK_OFF]


def test_stored_values_of_the_wrong_shape_hold_no_ticks():
    assert parse_ticks(None) == parse_ticks("") == parse_ticks("{]") == set()
    assert parse_ticks('{"a": 1}') == parse_ticks("7") == set()
    assert parse_ticks('["a", 3, null, "b"]') == {"a", "b"}


def test_texts_no_longer_in_the_lesson_are_not_counted(tmp_path):
    path = tmp_path / "settings.ini"
    Settings(path).save({try_state.key("race_counter"): '["An old try, since reworded."]'})
    assert TryProgress(Settings(path)).done(RACE) == []


def test_the_window_ticks_the_race_lock_off_and_says_so(qtbot, window):
    checklist = window.lesson_text.tries
    tab = window.tabs.indexOf(window.lesson_text)
    run_in_window(qtbot, window, "race_counter", "thread", ["increments=300", "use_lock=false",
                                                         "race_window=0.2"])
    assert window.try_progress.done(RACE) == [LOCK_OFF]
    assert [row.done for row in checklist.rows] == [True, False, False, False]
    assert "✓ Tried: Run the race with the lock off" in window.statusBar().currentMessage()
    assert window.tabs.tabText(tab) == "Lesson ✓1/4"
    run_in_window(qtbot, window, "race_counter", "thread", ["increments=300", "use_lock=true"])
    assert [row.done for row in checklist.rows] == [True, True, False, False]
    assert window.tabs.tabText(tab) == "Lesson ✓2/4"
    window.select("deadlock")
    assert window.tabs.tabText(tab) == "Lesson ✓0/4"
    assert [row.text for row in checklist.rows] == [t.text for t in catalogue.get("deadlock").tries]
