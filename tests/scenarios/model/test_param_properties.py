"""No crash under any input (issue 7), for every lesson's parameters.

Fed anything, a parameter gives a valid value or a ParamError that names it; in-range values run
a lesson to a result.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from scenarios.engine import backends
from scenarios.lessons import catalogue
from scenarios.lessons.quick import quick_params
from scenarios.model.lesson import Lesson
from scenarios.model.params import SHOWN_CHARS, Param, ParamError, parse_assignments, shown

LESSONS = catalogue.lessons()
PARAMS = [param for lesson in LESSONS for param in lesson.params]
NAMES = sorted({param.name for param in PARAMS})
TYPES = {"int": int, "float": float, "bool": bool, "choice": str, "text": str}
# A refusal is one line, short enough to read: the range, the value (cut) and the known names.
MESSAGE_MAX = 400
# Texts that trip number parsers: huge, non-finite, other bases, unicode digits, separators.
TRICKY_TEXTS = [
    "", " ", "\t\n", "1e400", "-1e400", "9" * 5000, "9" * 4000, "-" + "9" * 5000, "١٢", "١٢٣",
    "１２", "0x10", "0b1", "0o7", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "-0", "-0.0",
    "+3", "1_000", "1__0", "_1", "1e3", "2.5", "4.0", ".5", "5.", "1e-400", "0" * 300 + "1",
    "true", "True", "ON", "yes", "none", "None", "null", "\x00", "1\x00", "\ud800", "\u2028",
    "x += 1", "cpu", "qthread", "queue.Queue", "١", "²", "Ⅻ", "𝟗",
]
FAST = settings(max_examples=150, deadline=None)


def junk() -> st.SearchStrategy[Any]:
    """Values of no parameter's type at all."""
    return st.one_of(st.none(), st.binary(max_size=8), st.lists(st.integers(), max_size=2),
                     st.complex_numbers(), st.fractions(), st.decimals(), st.just(object()),
                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def huge_ints() -> st.SearchStrategy[int]:
    """Ints past the float range, and past the digits Python converts to text."""
    return st.sampled_from([1, -1]).flatmap(
        lambda sign: st.integers(309, 6000).map(lambda digits: sign * 10 ** digits))


def in_range(param: Param) -> st.SearchStrategy[Any]:
    """Values the parameter accepts, in any type validate takes (an int may come as 4.0)."""
    if param.kind == "bool":
        return st.booleans()
    if param.kind == "choice":
        return st.sampled_from(param.choices)
    if param.kind == "text":
        return st.from_regex(param.pattern or r".*", fullmatch=True).filter(
            lambda text: accepts(param, text))
    lo, hi = param.minimum, param.maximum
    ints = st.integers(math.ceil(lo), math.floor(hi))
    if param.kind == "int":
        return ints | ints.map(float)
    return st.floats(lo, hi) | ints


def refused(param: Param) -> st.SearchStrategy[Any]:
    """Values the parameter must refuse: out of range, non-finite, of another type."""
    anything_else = junk() | st.text().filter(lambda text: text not in param.choices)
    if param.kind == "bool":
        return anything_else | st.integers() | st.floats()
    if param.kind == "choice":
        return anything_else | st.integers() | st.floats() | st.booleans()
    if param.kind == "text":
        return (junk() | st.integers() | st.floats() | st.booleans()
                | st.text().filter(lambda text: not accepts(param, text)))
    lo, hi = param.minimum, param.maximum
    outside = (st.floats(max_value=lo, exclude_max=True)
               | st.floats(min_value=hi, exclude_min=True)
               | st.sampled_from([math.nan, -math.nan, math.inf, -math.inf])
               | st.integers(max_value=math.ceil(lo) - 1)
               | st.integers(min_value=math.floor(hi) + 1) | huge_ints())
    if param.kind == "int":
        outside |= st.floats(lo, hi).filter(lambda x: not x.is_integer())
    return anything_else | st.booleans() | outside


def accepts(param: Param, text: str) -> bool:
    """True if the text parameter takes this text as it is (stripped, of its shape)."""
    try:
        return param.validate(text) == text
    except ParamError:
        return False


def assert_valid(param: Param, value: Any) -> None:
    """The value is of the parameter's declared type and within its range."""
    assert type(value) is TYPES[param.kind], (param.name, value)
    if param.kind == "choice":
        assert value in param.choices
    elif param.kind in ("int", "float"):
        assert math.isfinite(value) and param.minimum <= value <= param.maximum


def assert_clear(message: str, *needles: str) -> None:
    """One short line holding every needle."""
    assert len(message.splitlines()) == 1, message
    assert len(message) <= MESSAGE_MAX, message
    for needle in needles:
        assert needle in message, (needle, message)


def assert_refusal(param: Param, caught: ParamError) -> None:
    """The refusal names the parameter and its allowed range, on one line."""
    message = str(caught)
    assert message.startswith(f"{param.name} must be {param.describe_range()}, got "), message
    assert_clear(message)


# -- values given as Python objects (the window, tests) -------------------------------------------
@FAST
@given(data=st.data())
def test_resolve_returns_every_in_range_value_in_its_declared_type(data: st.DataObject) -> None:
    lesson = data.draw(st.sampled_from(LESSONS), label="lesson")
    given_ = data.draw(st.fixed_dictionaries(
        {}, optional={p.name: in_range(p) for p in lesson.params}), label="given")
    values = lesson.resolve(given_)
    assert set(values) == {p.name for p in lesson.params}
    for param in lesson.params:
        assert_valid(param, values[param.name])
        if param.name in given_:
            assert values[param.name] == given_[param.name]
        else:
            assert values[param.name] == param.default


@FAST
@given(data=st.data())
def test_resolve_refuses_anything_else_with_a_param_error_naming_it(data: st.DataObject) -> None:
    lesson = data.draw(st.sampled_from(LESSONS), label="lesson")
    param = data.draw(st.sampled_from(lesson.params), label="param")
    value = data.draw(refused(param), label="value")
    with pytest.raises(ParamError) as caught:
        lesson.resolve({param.name: value})
    assert_refusal(param, caught.value)


@FAST
@given(lesson=st.sampled_from(LESSONS), name=st.text() | st.integers() | st.none())
def test_unknown_names_are_refused_with_the_known_ones(lesson: Lesson, name: Any) -> None:
    assume(name not in {p.name for p in lesson.params})
    with pytest.raises(ParamError) as caught:
        lesson.resolve({name: 1})
    assert_clear(str(caught.value), "unknown parameter", lesson.params[0].name)


# -- values given as text (--set) -----------------------------------------------------------------
def any_text() -> st.SearchStrategy[str]:
    """Garbage, numbers written every which way, and the tricky cases spelled out."""
    numbers = st.one_of(st.integers().map(str), st.floats().map(repr), st.floats().map(str),
                        st.integers().map(lambda n: f"{n:_}"), st.floats().map(lambda x: f"{x:e}"))
    padded = numbers.flatmap(lambda n: st.sampled_from([" ", "\t", "\n", "\u3000", ""]).map(
        lambda pad: pad + n + pad))
    return st.one_of(st.text(), st.sampled_from(TRICKY_TEXTS), numbers, padded,
                     st.text(alphabet="0123456789._-+eE١٢٣ xX", max_size=12))


def check_parse(param: Param, text: str) -> None:
    """Param.parse gives a valid value or a ParamError naming the parameter, and nothing else."""
    try:
        value = param.parse(text)
    except ParamError as caught:
        assert_refusal(param, caught)
    else:
        assert_valid(param, value)
        assert param.validate(value) == value


@FAST
@given(param=st.sampled_from(PARAMS), text=any_text())
def test_parse_gives_a_valid_value_or_a_param_error(param: Param, text: str) -> None:
    check_parse(param, text)


@pytest.mark.parametrize("param", PARAMS, ids=lambda p: p.name)
def test_tricky_texts_give_a_valid_value_or_a_param_error(param: Param) -> None:
    for text in TRICKY_TEXTS:
        check_parse(param, text)


@FAST
@given(data=st.data())
def test_a_valid_value_written_out_parses_back_to_itself(data: st.DataObject) -> None:
    param = data.draw(st.sampled_from(PARAMS), label="param")
    value = param.validate(data.draw(in_range(param), label="value"))
    # str(float) is the shortest text that reads back as the same float: what the CLI takes.
    assert param.parse(str(value)) == value
    assert type(param.parse(str(value))) is type(value)


def assignment() -> st.SearchStrategy[str]:
    """NAME=VALUE strings, mostly broken: no '=', no name, unknown or unicode names, bad values."""
    name = st.one_of(st.sampled_from(NAMES), st.text(), st.just(""), st.just(" "),
                     st.sampled_from(["ｉｎｃｒｅｍｅｎｔｓ", "Increments", "increments ", "线程"]))
    sep = st.sampled_from(["=", "=", "==", "", ":", " = "])
    return st.one_of(st.text(), st.tuples(name, sep, any_text()).map("".join))


@FAST
@given(lesson=st.sampled_from(LESSONS), texts=st.lists(assignment(), min_size=1, max_size=3))
def test_parse_assignments_gives_valid_values_or_a_param_error(lesson: Lesson,
                                                                texts: list[str]) -> None:
    try:
        values = parse_assignments(lesson.params, texts)
    except ParamError as caught:
        assert_clear(str(caught))
    else:
        for param in lesson.params:
            assert_valid(param, values[param.name])


@pytest.mark.parametrize("text", ["increments", "=5", " =5", "", "==5", "\n=5"])
def test_an_assignment_without_a_name_says_what_form_it_takes(text: str) -> None:
    with pytest.raises(ParamError) as caught:
        catalogue.get("race_counter").parse([text])
    assert_clear(str(caught.value), "--set takes NAME=VALUE")


# -- regressions: what these properties found -----------------------------------------------------
def test_an_int_past_the_float_range_is_refused_by_a_float_parameter() -> None:
    # float(10**400) raised OverflowError out of validate
    param = catalogue.get("race_counter").param("race_window")
    with pytest.raises(ParamError, match=r"^race_window must be a number from 0 to 5 ms, got 1000"):
        param.validate(10 ** 400)


def test_an_int_too_long_to_print_is_refused_with_its_size() -> None:
    # repr of a 5000-digit int raised ValueError while the refusal was being written
    lesson = catalogue.get("race_counter")
    with pytest.raises(ParamError) as caught:
        lesson.resolve({"increments": 10 ** 5000})
    assert str(caught.value) == ("increments must be an integer from 1 to 1000000, "
                                 "got an integer of about 5001 digits")
    assert "a negative integer" in shown(-(10 ** 5000))


def test_a_long_value_is_cut_short_in_the_refusal() -> None:
    # '9' * 4000 parses as an int; the refusal quoted all 4000 digits
    with pytest.raises(ParamError) as caught:
        catalogue.get("race_counter").param("increments").parse("9" * 4000)
    assert_clear(str(caught.value), "increments", "from 1 to 1000000", "(4000 characters)")
    assert len(shown("x" * 10_000)) < SHOWN_CHARS + 30


@pytest.mark.parametrize("text", ["1e400", "-1e400", "nan", "inf", "9" * 5000])
def test_a_non_finite_number_is_refused_as_the_text_given(text: str) -> None:
    # '1e400' was refused as "got inf": not what the user typed
    with pytest.raises(ParamError) as caught:
        catalogue.get("race_counter").param("race_window").parse(text)
    assert str(caught.value).endswith(f"got {shown(text)}")


def test_parse_refuses_what_is_not_text() -> None:
    # parse(None) raised AttributeError
    with pytest.raises(ParamError, match="got None"):
        catalogue.get("race_counter").param("increments").parse(None)  # type: ignore[arg-type]


def test_unicode_digits_read_as_python_reads_them() -> None:
    # A deliberate choice: int() and float() accept any Unicode decimal digits, so '١٢٣' is 123.
    increments = catalogue.get("race_counter").param("increments")
    assert increments.parse("١٢٣") == 123
    assert increments.parse("1_000") == 1000


# -- in-range runs finish with a result ----------------------------------------------------------
# Each run must stay well under a second: values are drawn between the parameter's minimum and the
# selftest's quick value (durations, counts) or from the quick value up (rates).
INT_ROOM = 1  # how far above its quick value an int may go (one more thread or task)
RUN_TIMEOUT_S = 10.0
# Values that mean "until Stop" by design, kept out of runs that must end on their own.
UNTIL_STOP = {("deadlock", "hold_s"): 0.0}


def quick_ranges(lesson: Lesson) -> dict[str, st.SearchStrategy[Any]]:
    """A strategy per parameter, within its range and the cheap end of it."""
    quick = lesson.resolve(quick_params(lesson))
    drawn: dict[str, st.SearchStrategy[Any]] = {}
    for p in lesson.params:
        now = quick[p.name]
        if p.extra.get("backend_of") or p.kind == "text":
            # it picks the back end (these runs use threads), or a place to run (this machine)
            drawn[p.name] = st.just(now)
        elif p.kind in ("bool", "choice"):
            drawn[p.name] = in_range(p)
        elif p.kind == "int":
            drawn[p.name] = st.integers(int(p.minimum), min(now + INT_ROOM, int(p.maximum)))
        elif "/s" in p.unit:
            drawn[p.name] = st.floats(now, p.maximum)
        elif p.unit in ("s", "ms"):
            forever = UNTIL_STOP.get((lesson.id, p.name))
            drawn[p.name] = st.floats(p.minimum, now).filter(lambda x, f=forever: x != f)
        else:
            drawn[p.name] = in_range(p)
    return drawn


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_in_range_values_run_to_a_result(lesson: Lesson) -> None:
    @settings(max_examples=3, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(params=st.fixed_dictionaries(quick_ranges(lesson)))
    @example(params=quick_params(lesson))
    def runs(params: dict[str, Any]) -> None:
        run = backends.make_run(lesson, params, "thread")
        run.start()
        try:
            assert run.wait(RUN_TIMEOUT_S), f"{lesson.id} did not end within {RUN_TIMEOUT_S} s"
        finally:
            run.close()
        result = backends.result_of(run.collector.drain())
        assert result is not None, f"{lesson.id} ended without a Result"
        assert result.error is None, result.error
        assert not result.stopped

    runs()
