"""Helpers shared by the test packages (test files import this, never each other)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scenarios.engine import backends
from scenarios.lessons import catalogue


def new_run(lesson_id: str, params: Mapping[str, Any], backend: str,
            **kwargs: Any) -> backends.Run:
    """A run (not started) of the lesson with this id, as the CLI and the window make one."""
    return backends.make_run(catalogue.get(lesson_id), params, backend, **kwargs)
