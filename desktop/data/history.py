"""The run history: every run of a session (lesson, back end, parameters, result, wall time)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.data.files import json_text


@dataclass
class RunRecord:
    """One finished run, as the comparison table and charts see it."""

    number: int  # 1, 2, ... in the order runs finished
    lesson_id: str
    backend: str
    params: dict[str, Any]
    values: dict[str, Any]  # the lesson's result values ({} if it failed or was stopped)
    ok: bool  # True when the lesson returned a result
    error: str | None
    stopped: bool
    wall_s: float
    started: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    @property
    def outcome(self) -> str:
        """'ok', 'stopped' or the error, in a word or a line."""
        if self.stopped:
            return "stopped"
        return "ok" if self.ok else f"error: {self.error}"


class RunHistory:
    """The runs of this session, oldest first."""

    def __init__(self) -> None:
        self.records: list[RunRecord] = []

    def add(self, lesson_id: str, backend: str, params: dict[str, Any], values: dict[str, Any],
            error: str | None, stopped: bool, wall_s: float) -> RunRecord:
        """Record a finished run and return its record."""
        record = RunRecord(len(self.records) + 1, lesson_id, backend, dict(params), dict(values),
                           error is None and not stopped, error, stopped, wall_s)
        self.records.append(record)
        return record

    def of_lesson(self, lesson_id: str) -> list[RunRecord]:
        """The runs of one lesson, oldest first."""
        return [r for r in self.records if r.lesson_id == lesson_id]

    def clear(self) -> None:
        """Forget every run."""
        self.records.clear()

    def csv_text(self) -> str:
        """The history as CSV: one row per run, parameters and result values as JSON objects."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["run", "started", "lesson", "backend", "wall_s", "outcome", "params",
                         "result"])
        for r in self.records:
            writer.writerow([r.number, r.started, r.lesson_id, r.backend, f"{r.wall_s:.4f}",
                             r.outcome, json_text(r.params), json_text(r.values)])
        return out.getvalue()
