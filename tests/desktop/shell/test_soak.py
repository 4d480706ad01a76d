"""A short soak (issue 7): ten runs in one window, half stopped at a random moment.

Each ends within a second of Stop and leaves no thread or process behind (bench/soak.py does the
long one).
"""

from __future__ import annotations

from bench.soak import soak
from scenarios.lessons import catalogue

# quick lessons that start threads, processes and a pool between them
LESSONS = ("thread_basics", "race_counter", "process_isolation", "pool_basics", "deadlock")


def test_ten_runs_leave_nothing_and_stop_in_time(qtbot, window):
    def wait(done, timeout: float) -> bool:
        try:
            qtbot.waitUntil(lambda: bool(done()), timeout=int(timeout * 1000))
        except qtbot.TimeoutError:
            return False
        return True

    window.ask_before_freezing = False
    figures = soak(window, rounds=1, seed=7, wait=wait,
                   lessons=[catalogue.get(lesson_id) for lesson_id in LESSONS])
    assert figures.runs == 10
    assert not figures.hung and not figures.leftovers, figures.leftovers + figures.hung
    assert figures.stopped >= 2, "the seed should stop some runs"
    assert max(figures.stop_s) < 1.0, figures.stop_s
