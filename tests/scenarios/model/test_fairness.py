"""A speedup above what the cores allow, or over a starved serial loop, always comes with words."""

from __future__ import annotations

from scenarios.model.fairness import core_share, speedup_bound, speedup_caveat


def test_the_bound_is_the_workers_up_to_the_cores() -> None:
    assert speedup_bound(1, 2) == 1 and speedup_bound(2, 2) == 2 and speedup_bound(4, 2) == 2
    assert speedup_bound(0, 2) == 1


def test_a_fair_speedup_needs_no_words() -> None:
    assert speedup_caveat(1.9, 2, 2, serial_share=0.99) is None
    assert speedup_caveat(2.09, 2, 2, serial_share=0.95) is None  # within 5 %: noise


def test_a_speedup_above_the_cores_names_its_cause_and_fix() -> None:
    words = speedup_caveat(2.66, 2, 2, serial_share=0.62)
    assert words and "more than 2 workers on 2 cores can give (2×)" in words
    assert "62% of a core" in words and "GIL" in words and "process back end" in words


def test_a_starved_serial_loop_is_said_even_below_the_bound() -> None:
    words = speedup_caveat(1.8, 2, 2, serial_share=0.7)
    assert words and words.startswith("the serial loop had only 70% of a core")


def test_above_the_bound_with_a_whole_core_blames_the_start_or_the_machine() -> None:
    words = speedup_caveat(2.3, 4, 2, serial_share=0.99)
    assert words and "cold start" in words and "Run it again" in words


def test_core_share() -> None:
    assert core_share(0.5, 1.0) == 0.5 and core_share(3.0, 1.0, cores=2) == 1.5
    assert core_share(1.0, 0.0) == 0.0
