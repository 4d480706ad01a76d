"""The short runs of any lesson: durations cut, rates raised, every value within its range."""

from __future__ import annotations

from scenarios.lessons import catalogue
from scenarios.lessons.quick import SMALL_PARAMS, quick_params


def test_quick_params_cut_durations_raise_rates_and_stay_in_range() -> None:
    for lesson in catalogue.lessons():
        params = quick_params(lesson)
        assert lesson.resolve(params)  # every value within its parameter's range
        for param in lesson.params:
            if param.kind == "float" and param.unit in ("s", "ms") and param.name in params:
                assert params[param.name] <= param.default
    thread_basics = quick_params(catalogue.get("thread_basics"))
    assert thread_basics == SMALL_PARAMS["thread_basics"]
