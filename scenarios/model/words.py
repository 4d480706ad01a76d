"""Numbers and names in a learner's words: counts with their noun, result keys as words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scenarios.model.params import Param

# A key ending in one of these holds a quantity in that unit: "detected_after_s" is in seconds.
UNITS = {"s": "s", "ms": "ms", "pct": "%"}
# Words a key spells in lower case that a learner reads otherwise.
SPELLED = {"cpu": "CPU", "gil": "GIL", "ui": "UI", "os": "OS", "pid": "PID", "pids": "PIDs",
           "ids": "IDs", "mp": "multiprocessing", "nogil": "free-threaded", "pct": "%",
           "python": "Python"}
# Numbers that name something (a process, a thread) are read digit by digit: no separators.
NAMING = ("pid", "pids", "ident", "idents", "tid", "tids", "ids")
# A list shows this many items, then "…".
LIST_ITEMS = 8
NOTHING = "—"  # a value that is not there (None): a dash, never "None"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 update', '2 updates', '1,000 updates' (`many`: a plural that is not noun + 's')."""
    word = noun if count == 1 else (many or noun + "s")
    return f"{count:,} {word}"


def names_something(key: str) -> bool:
    """True for a key whose numbers are names (pids, thread ids): shown without separators."""
    words = key.lower().split("_")
    return bool(words) and (words[-1] in NAMING or "native" in words)


def number(value: float, naming: bool = False) -> str:
    """A number as a learner reads it: '1,234' · '0.5123' · '5.67' (a pid: '23985')."""
    if isinstance(value, int):
        return str(value) if naming else f"{value:,}"
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.2e}"


def value_text(value: Any, key: str = "") -> str:
    """A result value in words: yes/no, numbers, short lists, 'name: value' pairs; never 'None'."""
    naming = names_something(key)
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value, naming)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {value_text(v, key)}" for k, v in value.items()) or "none"
    if isinstance(value, list | tuple):
        if not value:
            return "none"
        if all(isinstance(item, Mapping) for item in value):
            return "\n".join(record_text(item) for item in value[:LIST_ITEMS])
        shown = ", ".join(f"({value_text(v, key)})" if isinstance(v, list | tuple)
                          else value_text(v, key) for v in value[:LIST_ITEMS])
        return shown + (" …" if len(value) > LIST_ITEMS else "")
    return str(value)


def record_text(record: Mapping[str, Any]) -> str:
    """One record of a list ('name' first): 'Thread-1: delay 0.5 s, start 0 s, end 2 s'."""
    rest = [f"{key_words(k)} {quantity(k, v)}" for k, v in record.items() if k != "name"]
    name = record.get("name")
    if name is None:
        return ", ".join(rest)
    return f"{name}: {', '.join(rest)}" if rest else str(name)


def split_unit(key: str) -> tuple[list[str], str]:
    """A key's words and its unit: 'detected_after_s' → (['detected', 'after'], 's')."""
    words = [w for w in key.split("_") if w]
    if len(words) > 1 and words[-1] in UNITS:
        return words[:-1], UNITS[words[-1]]
    return words, ""


def key_words(key: str) -> str:
    """A result key as words: 'lost_updates' → 'lost updates', 'cpu_count' → 'CPU count'."""
    words, _ = split_unit(key)
    return " ".join(SPELLED.get(w, w) for w in words) or key


def quantity(key: str, value: Any, unit: str | None = None) -> str:
    """A value with the unit its key (or `unit`) names: '5 ms', '73.1%', 'yes'."""
    text = value_text(value, key)
    unit = split_unit(key)[1] if unit is None else unit
    if not unit or isinstance(value, bool) or not isinstance(value, int | float):
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def describe(key: str, value: Any, params: Iterable[Param] = (),
             words: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(what it is, its value) of a result value in words.

    `words` names keys whose own words would mislead; a parameter's value (one it could take)
    goes by the label the panel shows it under.
    """
    param = next((p for p in params if p.name == key and _could_be(p, value)), None)
    unit = param.unit if param is not None else None
    if words and key in words:
        return words[key], quantity(key, value, unit)
    if param is not None:
        return param.title, quantity(key, value, unit)
    return key_words(key), quantity(key, value)


def _could_be(param: Param, value: Any) -> bool:
    """True if the value is one the parameter takes (a result key may share its name only)."""
    try:
        param.validate(value)
    except ValueError:
        return False
    return True
