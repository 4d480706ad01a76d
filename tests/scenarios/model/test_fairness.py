"""A speedup above what the cores allow, or over a starved serial loop, always comes with words."""

from __future__ import annotations

from scenarios.model.fairness import (
    Sharing,
    core_share,
    is_fair,
    speedup_bound,
    speedup_caveat,
    spread_caveat,
    waiting_caveat,
)

WINDOW = Sharing(same_process=0.45)  # the window's drawing, on the thread back end
BUSY = Sharing(other_processes=1.2)  # other programs


def test_the_bound_is_the_workers_up_to_the_cores() -> None:
    assert speedup_bound(1, 2) == 1 and speedup_bound(2, 2) == 2 and speedup_bound(4, 2) == 2
    assert speedup_bound(0, 2) == 1


def test_a_fair_speedup_needs_no_words() -> None:
    assert speedup_caveat(1.9, 2, 2, serial_share=0.99) is None
    assert speedup_caveat(2.09, 2, 2, serial_share=0.95) is None  # within 5 %: noise


def test_a_speedup_above_the_cores_names_its_cause_and_fix() -> None:
    words = speedup_caveat(2.66, 2, 2, serial_share=0.62, sharing=WINDOW)
    assert words and "2.66× is above the 2× that 2 workers on 2 cores allow" in words
    assert "62% of a core" in words and "45% of a core" in words and "GIL" in words
    assert "process back end" in words


def test_a_starved_serial_loop_is_said_even_below_the_bound() -> None:
    words = speedup_caveat(1.8, 2, 2, serial_share=0.7, sharing=BUSY)
    assert words and words.startswith("The serial loop had only 70% of a core")
    assert "other processes kept 1.2 cores busy" in words and "Close what else" in words
    assert "GIL" not in words


def test_above_the_bound_with_a_whole_core_blames_the_start_or_the_machine() -> None:
    words = speedup_caveat(2.3, 4, 2, serial_share=0.99)
    assert words and "though the serial loop had a whole core" in words
    assert "cold start" in words and "Run it again" in words


def test_a_little_else_running_is_not_named_as_a_cause() -> None:
    assert Sharing(same_process=0.05, other_processes=0.1).causes() == []


def test_core_share() -> None:
    assert core_share(0.5, 1.0) == 0.5 and core_share(3.0, 1.0, cores=2) == 1.5
    assert core_share(1.0, 0.0) == 0.0


def test_a_round_above_the_bound_is_explained_though_the_median_is_fair() -> None:
    assert spread_caveat([(1.7, 1.0), (1.9, 1.0), (1.8, 1.0)], 2, 2) is None
    words = spread_caveat([(1.63, 1.0), (2.26, 0.99), (1.70, 1.0)], 2, 2)
    assert words and words.startswith("A round measured 2.26×") and "median" in words
    assert "machine's speed changed" in words
    words = spread_caveat([(2.88, 0.7), (2.3, 1.0), (1.70, 1.0)], 2, 2)
    assert words and words.startswith("2 rounds measured up to 2.88×")
    assert "its serial loop had only 70% of a core" in words
    assert is_fair(1.70, 2, 2, serial_share=0.99)
    assert not is_fair(2.26, 2, 2, serial_share=0.99) and not is_fair(1.5, 2, 2, 0.5)


def test_threads_that_wait_are_bound_by_their_number_not_the_cores() -> None:
    assert waiting_caveat(1.98, 2) is None and waiting_caveat(2.08, 2) is None
    words = waiting_caveat(2.4, 2)
    assert words and "above the 2× that 2 threads allow" in words and "Run it again" in words
