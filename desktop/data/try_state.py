"""Which of each lesson's tries the student has done, ticked by finished runs.

Kept between sessions in the settings file (one key per lesson).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from scenarios.model.lesson import Lesson
from scenarios.model.tries import TriedRun, tried


class TickStore(Protocol):
    """Where ticks are kept between sessions (the app's settings file)."""

    def text(self, key: str) -> str | None: ...  # noqa: D102
    def keep(self, values: dict[str, Any]) -> None: ...  # noqa: D102


KEY = "tries/{}"  # the settings key of a lesson's ticked tries, by lesson id


def key(lesson_id: str) -> str:
    """The settings key under which a lesson's ticks are kept."""
    return KEY.format(lesson_id)


def parse_ticks(text: str | None) -> set[str]:
    """The tries' texts a stored value holds: a JSON list of strings; anything else is none."""
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return set()
    if not isinstance(value, list):
        return set()
    return {item for item in value if isinstance(item, str)}


class TryProgress:
    """The ticked tries of every lesson, by their text; a finished run ticks those it did."""

    def __init__(self, settings: TickStore | None = None) -> None:
        self.settings = settings
        self._ticks: dict[str, set[str]] = {}  # lesson id -> ticked texts, read on first use

    def remember_in(self, settings: TickStore) -> None:
        """Keep ticks in `settings` from now on: those stored there join this session's."""
        self.settings = settings
        for lesson_id, ticks in self._ticks.items():
            ticks |= self._stored(lesson_id)
            self._save(lesson_id)

    def done(self, lesson: Lesson) -> list[str]:
        """The texts of the lesson's tries done so far, in the lesson's order."""
        ticks = self._ticks_of(lesson.id)
        return [t.text for t in lesson.tries if t.text in ticks]

    def record(self, lesson: Lesson, backend: str, params: Mapping[str, Any],
               values: Mapping[str, Any], error: str | None, stopped: bool) -> list[str]:
        """Tick what this finished run did; return the texts it ticked for the first time."""
        run = TriedRun(backend, dict(params), dict(values or {}), error, stopped)
        ticks = self._ticks_of(lesson.id)
        new = [t.text for t in tried(lesson.tries, run) if t.text not in ticks]
        if new:
            ticks.update(new)
            self._save(lesson.id)
        return new

    def reset(self, lesson: Lesson) -> None:
        """Untick every try of the lesson (they tick again when runs do them)."""
        self._ticks[lesson.id] = set()
        self._save(lesson.id)

    def _ticks_of(self, lesson_id: str) -> set[str]:
        if lesson_id not in self._ticks:
            self._ticks[lesson_id] = self._stored(lesson_id)
        return self._ticks[lesson_id]

    def _stored(self, lesson_id: str) -> set[str]:
        return parse_ticks(self.settings.text(key(lesson_id))) if self.settings else set()

    def _save(self, lesson_id: str) -> None:
        if self.settings is None:
            return
        value = json.dumps(sorted(self._ticks[lesson_id]), ensure_ascii=False)
        self.settings.keep({key(lesson_id): value})
