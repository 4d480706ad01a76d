"""Typed lesson parameters: parsing strings, validation, messages that say what is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.lessons import catalogue
from scenarios.model.params import (
    ADDRESS_PATTERN,
    ADDRESS_SHAPE,
    MAX_TEXT_CHARS,
    Param,
    ParamError,
    bool_param,
    choice_param,
    float_param,
    int_param,
    parse_assignments,
    resolve,
    text_param,
)

THREADS = int_param("threads", 2, 2, 8, "How many threads.")
DELAY = float_param("delay", 0.5, 0.0, 5.0, "How long to sleep.", unit="s")
USE_LOCK = bool_param("use_lock", False, "Hold a lock.")
STEP = choice_param("step", "read, pause, write", ("read, pause, write", "x += 1"), "How to add.")
ALL = (THREADS, DELAY, USE_LOCK, STEP)

NUMERIC = [p for lesson in catalogue.lessons() for p in lesson.params if p.kind in ("int", "float")]

# The property tests draw few examples: they check a simple rule, and the suite must stay fast.
FAST = settings(max_examples=30, deadline=None)


# -- messages -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("param", "value", "expected"), [
    (THREADS, 9, "threads must be an integer from 2 to 8, got 9"),
    (THREADS, 1, "threads must be an integer from 2 to 8, got 1"),
    (DELAY, -0.5, "delay must be a number from 0 to 5 s, got -0.5"),
    (USE_LOCK, "maybe", "use_lock must be true or false, got 'maybe'"),
    (STEP, "x++", "step must be one of read, pause, write, x += 1, got 'x++'"),
])
def test_refusal_names_the_parameter_its_range_and_the_value(param: Param, value: object,
                                                             expected: str) -> None:
    with pytest.raises(ParamError) as caught:
        param.validate(value)
    assert str(caught.value) == expected


def test_parse_refusal_quotes_the_text_given() -> None:
    with pytest.raises(ParamError, match=r"^threads must be an integer from 2 to 8, got 'abc'$"):
        THREADS.parse("abc")


def test_every_lesson_parameter_describes_its_range() -> None:
    for lesson in catalogue.lessons():
        for param in lesson.params:
            text = param.describe_range()
            assert text, param.name
            if param.kind in ("int", "float"):
                assert str(int(param.minimum)) in text and "to" in text, text


# -- parsing from strings -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("True", True), ("yes", True), ("on", True), ("1", True), (" TRUE ", True),
    ("false", False), ("no", False), ("off", False), ("0", False), ("False", False),
])
def test_bool_parses_common_spellings(text: str, value: bool) -> None:
    assert USE_LOCK.parse(text) is value


@pytest.mark.parametrize("text", ["", "2", "yep", "none"])
def test_bool_refuses_other_words(text: str) -> None:
    with pytest.raises(ParamError, match="use_lock must be true or false"):
        USE_LOCK.parse(text)


def test_int_parses_and_keeps_its_type() -> None:
    assert THREADS.parse("4") == 4
    assert isinstance(THREADS.parse(" 8 "), int)


@pytest.mark.parametrize("text", ["2.5", "4.0", "1e3", "four", ""])
def test_int_refuses_non_integers(text: str) -> None:
    with pytest.raises(ParamError, match="threads must be an integer"):
        THREADS.parse(text)


def test_float_parses_and_accepts_integers() -> None:
    assert DELAY.parse("0.25") == 0.25
    assert DELAY.parse("2") == 2.0
    assert isinstance(DELAY.parse("2"), float)
    assert DELAY.validate(3) == 3.0 and isinstance(DELAY.validate(3), float)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "fast"])
def test_float_refuses_non_finite_and_words(text: str) -> None:
    with pytest.raises(ParamError, match="delay must be a number from 0 to 5 s"):
        DELAY.parse(text)


def test_choice_parses_exact_names_only() -> None:
    assert STEP.parse("x += 1") == "x += 1"
    assert STEP.parse("  x += 1 ") == "x += 1"
    with pytest.raises(ParamError):
        STEP.parse("X += 1")


def test_types_are_not_mixed_up() -> None:
    with pytest.raises(ParamError):
        THREADS.validate(True)  # a bool is an int in Python, but not a thread count
    with pytest.raises(ParamError):
        THREADS.validate(2.5)
    assert THREADS.validate(4.0) == 4 and isinstance(THREADS.validate(4.0), int)
    with pytest.raises(ParamError):
        USE_LOCK.validate(1)
    with pytest.raises(ParamError):
        DELAY.validate("1.0")  # strings go through parse, not validate


def test_a_bad_default_is_refused_at_declaration() -> None:
    with pytest.raises(ParamError, match="threads must be an integer from 2 to 8, got 1"):
        int_param("threads", 1, 2, 8, "How many threads.")


# -- resolving a whole set ------------------------------------------------------------------------
def test_resolve_fills_defaults() -> None:
    assert resolve(ALL, {"threads": 3}) == {
        "threads": 3, "delay": 0.5, "use_lock": False, "step": "read, pause, write"}


def test_unknown_names_are_refused_with_the_known_ones() -> None:
    with pytest.raises(ParamError, match=r"unknown parameter 'thread'.*threads, delay"):
        resolve(ALL, {"thread": 3})
    with pytest.raises(ParamError, match=r"unknown parameter 'colour'"):
        parse_assignments(ALL, ["colour=red"])


def test_parse_assignments_parses_each_kind() -> None:
    values = parse_assignments(ALL, ["threads=4", "delay=1.5", "use_lock=on", "step=x += 1"])
    assert values == {"threads": 4, "delay": 1.5, "use_lock": True, "step": "x += 1"}


@pytest.mark.parametrize("text", ["threads", "=4", " =4", ""])
def test_parse_assignments_needs_name_equals_value(text: str) -> None:
    with pytest.raises(ParamError, match="--set takes NAME=VALUE"):
        parse_assignments(ALL, [text])


def test_lesson_parse_and_resolve_agree() -> None:
    lesson = catalogue.get("race_counter")
    assert lesson.parse(["use_lock=true", "increments=500"]) == lesson.resolve(
        {"use_lock": True, "increments": 500})


def test_to_json_carries_what_the_window_needs() -> None:
    data = DELAY.to_json()
    assert data == {"name": "delay", "label": "Delay", "kind": "float", "default": 0.5,
                    "min": 0.0, "max": 5.0, "choices": [], "unit": "s",
                    "help": "How long to sleep.", "live": False}


# -- properties over every numeric parameter of every lesson --------------------------------------
@FAST
@given(data=st.data())
def test_in_range_values_validate(data: st.DataObject) -> None:
    param = data.draw(st.sampled_from(NUMERIC), label="param")
    if param.kind == "int":
        value = data.draw(st.integers(int(param.minimum), int(param.maximum)))
    else:
        value = data.draw(st.floats(param.minimum, param.maximum))
    assert param.validate(value) == value
    assert param.parse(str(value)) == value


@FAST
@given(data=st.data())
def test_out_of_range_values_raise_param_error(data: st.DataObject) -> None:
    param = data.draw(st.sampled_from(NUMERIC), label="param")
    if param.kind == "int":
        below = st.integers(max_value=int(param.minimum) - 1)
        above = st.integers(min_value=int(param.maximum) + 1)
    else:
        below = st.floats(max_value=param.minimum, exclude_max=True, allow_nan=False)
        above = st.floats(min_value=param.maximum, exclude_min=True, allow_nan=False)
    value = data.draw(below | above)
    with pytest.raises(ParamError) as caught:
        param.validate(value)
    message = str(caught.value)
    assert message.startswith(f"{param.name} must be ")
    assert param.describe_range() in message
    assert message.endswith(f"got {value!r}")


SCHEDULER = text_param("scheduler", "", "Where the cluster is.", pattern=ADDRESS_PATTERN,
                       shape=ADDRESS_SHAPE)


@pytest.mark.parametrize(("given", "kept"), [
    ("", ""), ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("  localhost:8786 ", "localhost:8786"), ("tls://[::1]:9000", "tls://[::1]:9000"),
    ("127.0.0.1:8786", "127.0.0.1:8786"), (" tcp://127.0.0.1:8786 ", "tcp://127.0.0.1:8786"),
])
def test_a_text_parameter_keeps_a_value_of_its_shape_stripped(given: str, kept: str) -> None:
    assert SCHEDULER.validate(given) == kept
    assert SCHEDULER.parse(given) == kept


@pytest.mark.parametrize("given", [5, None, True, "tcp://host", "host:port", "a\nb:1",
                                   "h:8786\x00", "x" * (MAX_TEXT_CHARS + 1),
                                   "localhost:" + "8" * 300])
def test_a_text_parameter_refuses_by_name_what_is_not_of_its_shape(given: object) -> None:
    with pytest.raises(ParamError) as caught:
        SCHEDULER.validate(given)
    message = str(caught.value)
    assert message.startswith("scheduler must be empty, or a scheduler address like "
                              "tcp://HOST:PORT, got ")
    assert "\n" not in message


def test_a_text_without_a_pattern_takes_any_short_line() -> None:
    name = text_param("name", "", "A name.")
    assert name.describe_range() == f"text of at most {MAX_TEXT_CHARS} characters"
    assert name.parse(" Lab 3 = west ") == "Lab 3 = west"
    assert name.to_json()["kind"] == "text"


def test_an_address_is_set_on_the_command_line_colons_and_all() -> None:
    values = parse_assignments([SCHEDULER], ["scheduler=tcp://10.1.2.3:8786"])
    assert values == {"scheduler": "tcp://10.1.2.3:8786"}


@pytest.mark.parametrize("given", ["a\nb", "a\tb", "\x00", "a\u2028b", "x" * 300])
def test_a_text_without_a_pattern_still_refuses_control_characters_and_long_text(
        given: str) -> None:
    with pytest.raises(ParamError, match=r"^name must be text of at most 200 characters, got "):
        text_param("name", "", "A name.").validate(given)


def test_a_text_value_may_hold_an_equals_sign_on_the_command_line() -> None:
    # --set splits on the first '=' only
    name = text_param("name", "", "A name.")
    assert parse_assignments([name], ["name=a=b"]) == {"name": "a=b"}
