"""Counts, numbers and result keys in a learner's words."""

from __future__ import annotations

import pytest

from scenarios.model.params import bool_param, int_param
from scenarios.model.words import describe, key_words, number, plural, value_text


@pytest.mark.parametrize(("count", "said"), [(0, "0 updates"), (1, "1 update"),
                                             (2, "2 updates"), (10_000, "10,000 updates")])
def test_a_count_takes_the_noun_it_needs(count: int, said: str) -> None:
    assert plural(count, "update") == said


def test_an_irregular_plural_is_given() -> None:
    assert plural(1, "worker process", "worker processes") == "1 worker process"
    assert plural(3, "worker process", "worker processes") == "3 worker processes"


def test_a_pid_is_read_digit_by_digit_a_count_in_thousands() -> None:
    assert value_text(23985, "child_pid") == "23985"
    assert value_text([23985, 23986], "worker_pids") == "23985, 23986"
    assert value_text({"main": 23985}, "native_ids") == "main: 23985"
    assert value_text(23985, "entries") == "23,985"


@pytest.mark.parametrize(("value", "said"), [(5.67, "5.67"), (0.0546, "0.0546"), (0.0, "0"),
                                             (12345.6, "12,346"), (1.819, "1.819")])
def test_a_float_keeps_its_digits_without_an_exponent(value: float, said: str) -> None:
    assert number(value) == said


def test_nothing_is_a_dash_and_a_list_of_records_is_lines() -> None:
    assert value_text(None) == "—"
    assert value_text([]) == "none"
    records = [{"name": "Thread-1", "delay": 0.5, "end_s": 2.0}, {"name": "Thread-2"}]
    assert value_text(records) == "Thread-1: delay 0.5, end 2 s\nThread-2"
    assert value_text([[0.1, 3]]) == "(0.1, 3)"


def test_keys_become_words_with_their_units() -> None:
    assert key_words("lost_updates") == "lost updates"
    assert key_words("cpu_count") == "CPU count"
    assert describe("switch_interval_ms", 5.0) == ("switch interval", "5 ms")
    assert describe("processes_together_pct", 73.1) == ("processes together", "73.1%")


def test_a_parameter_goes_by_its_label_unless_the_value_is_not_one_it_takes() -> None:
    params = (bool_param("use_lock", False, "h", label="Use a lock"),
              int_param("balance", 100, 1, 1000, "h", label="Start balance"))
    assert describe("use_lock", True, params) == ("Use a lock", "yes")
    assert describe("balance", -60, params) == ("balance", "-60")
    assert describe("balance", 40, params, {"balance": "balance at the end"}) == \
        ("balance at the end", "40")
