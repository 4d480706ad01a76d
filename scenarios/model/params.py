"""Typed lesson parameters: declaration, parsing and validation with clear messages."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("int", "float", "bool", "choice", "text")
# A text parameter holds at most this many characters (an address, a name: one short line).
MAX_TEXT_CHARS = 200
# A Dask scheduler's address as a learner types it, or nothing (the lesson starts its own).
ADDRESS_PATTERN = r"((tcp|tls)://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}|"
ADDRESS_SHAPE = "empty, or a scheduler address like tcp://HOST:PORT"
# The help of a live parameter that a lesson reads once per run: it takes effect in a loop.
NEXT_ROUND = " A change mid-run applies from the next round (Loop)."
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
# A refusal quotes the value given, cut to this many characters so that it stays one short line.
SHOWN_CHARS = 60


class ParamError(ValueError):
    """A parameter name or value that a lesson does not accept; the message says why."""


@dataclass(frozen=True)
class Param:
    """One typed lesson parameter: its kind, default, allowed range, unit, help and live flag."""

    name: str
    kind: str
    default: Any
    help: str
    label: str = ""
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    live: bool = False
    step: float | None = None
    pattern: str = ""  # text: a regular expression the whole value must match ("" = any)
    shape: str = ""  # text: the allowed values in words
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"parameter {self.name}: unknown kind {self.kind!r}")
        self.validate(self.default)

    @property
    def title(self) -> str:
        """The label shown in the window (the name, made readable, when none is given)."""
        return self.label or self.name.replace("_", " ").capitalize()

    def describe_range(self) -> str:
        """The allowed values in words, e.g. 'an integer from 1 to 8'."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "text":
            return self.shape or f"text of at most {MAX_TEXT_CHARS} characters"
        noun = "an integer" if self.kind == "int" else "a number"
        unit = f" {self.unit}" if self.unit else ""
        return f"{noun} from {_fmt(self.minimum)} to {_fmt(self.maximum)}{unit}"

    def _refuse(self, value: Any) -> ParamError:
        return ParamError(f"{self.name} must be {self.describe_range()}, got {shown(value)}")

    def validate(self, value: Any) -> Any:
        """Return the value in this parameter's type, or raise ParamError naming what is wrong."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise self._refuse(value)
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            raise self._refuse(value)
        if self.kind == "text":
            return self._text(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._refuse(value)
        if self.kind == "int":
            if isinstance(value, float):
                if not value.is_integer():
                    raise self._refuse(value)
                value = int(value)
        else:
            try:
                number = float(value)
            except OverflowError:  # an int past the float range
                raise self._refuse(value) from None
            if not math.isfinite(number):
                raise self._refuse(value)
            value = number
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise self._refuse(value)
        return value

    def _text(self, value: Any) -> str:
        """A text value, stripped, on one line, short, and of the parameter's shape."""
        if not isinstance(value, str):
            raise self._refuse(value)
        text = value.strip()
        if (len(text) > MAX_TEXT_CHARS or any(not c.isprintable() for c in text)
                or (self.pattern and not re.fullmatch(self.pattern, text))):
            raise self._refuse(value)
        return text

    def parse(self, text: str) -> Any:
        """Turn a command-line string into a valid value, or raise ParamError."""
        if not isinstance(text, str):
            raise self._refuse(text)
        raw = text.strip()
        if self.kind == "bool":
            low = raw.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise self._refuse(text)
        if self.kind in ("choice", "text"):
            return self.validate(raw)
        try:
            # ValueError covers an int of more digits than Python converts (sys.int_info).
            number: float | int = int(raw) if self.kind == "int" else float(raw)
        except ValueError:
            raise self._refuse(text) from None
        if isinstance(number, float) and not math.isfinite(number):
            raise self._refuse(text)  # '1e400' was given, not inf
        return self.validate(number)

    def to_json(self) -> dict[str, Any]:
        """The parameter as plain data for `list --json` and the window."""
        return {
            "name": self.name,
            "label": self.title,
            "kind": self.kind,
            "default": self.default,
            "min": self.minimum,
            "max": self.maximum,
            "choices": list(self.choices),
            "unit": self.unit,
            "help": self.help,
            "live": self.live,
        }


def shown(value: Any) -> str:
    """The value as a refusal quotes it: its repr on one line, cut short when it is long."""
    try:
        text = repr(value)
    except ValueError:
        if not isinstance(value, int):
            raise
        # Past sys.get_int_max_str_digits() an int has no repr.
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"{'a negative' if value < 0 else 'an'} integer of about {digits} digits"
    if len(text) <= SHOWN_CHARS:
        return text
    return f"{text[:SHOWN_CHARS]}... ({len(text)} characters)"


def _fmt(number: float | None) -> str:
    if number is None:
        return "?"
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def int_param(name: str, default: int, lo: int, hi: int, help: str, **kw: Any) -> Param:
    """Declare an integer parameter."""
    return Param(name, "int", default, help, minimum=lo, maximum=hi, **kw)


def float_param(name: str, default: float, lo: float, hi: float, help: str, **kw: Any) -> Param:
    """Declare a floating-point parameter."""
    return Param(name, "float", float(default), help, minimum=lo, maximum=hi, **kw)


def bool_param(name: str, default: bool, help: str, **kw: Any) -> Param:
    """Declare an on/off switch."""
    return Param(name, "bool", default, help, **kw)


def choice_param(name: str, default: str, choices: Iterable[str], help: str, **kw: Any) -> Param:
    """Declare a parameter that takes one of a few named values."""
    return Param(name, "choice", default, help, choices=tuple(choices), **kw)


def text_param(name: str, default: str, help: str, pattern: str = "", shape: str = "",
               **kw: Any) -> Param:
    """Declare a parameter that takes a line of text (of the pattern's shape, if one is given)."""
    return Param(name, "text", default, help, pattern=pattern, shape=shape, **kw)


def resolve(params: Iterable[Param], given: Mapping[str, Any]) -> dict[str, Any]:
    """Fill defaults and validate every given value; unknown names raise ParamError."""
    by_name = {p.name: p for p in params}
    unknown = [name for name in given if name not in by_name]
    if unknown:
        known = ", ".join(by_name) or "none"
        raise ParamError(f"unknown parameter {shown(unknown[0])} (this lesson takes: {known})")
    return {
        name: p.validate(given[name]) if name in given else p.default
        for name, p in by_name.items()
    }


def parse_assignments(params: Iterable[Param], assignments: Iterable[str]) -> dict[str, Any]:
    """Parse NAME=VALUE strings (as given to --set) into validated values."""
    by_name = {p.name: p for p in params}
    values: dict[str, Any] = {}
    for text in assignments:
        name, sep, raw = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParamError(f"--set takes NAME=VALUE, got {shown(text)}")
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise ParamError(f"unknown parameter {shown(name)} (this lesson takes: {known})")
        values[name] = by_name[name].parse(raw)
    return resolve(by_name.values(), values)
