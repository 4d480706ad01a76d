"""The deck's own examples as plain scripts (no lab), timed for bench.fidelity."""

from __future__ import annotations


def start_like_the_cli(lesson_id: str) -> None:
    """Do the start-up `python -m scenarios run LESSON` does before its lesson runs: its imports.

    This host's cores run slow for a while after being idle. Started just after the interpreter,
    the first 1000 tasks of the deck's serial loop took a median 21% longer than the loop's
    typical 1000 (12 runs); in the lesson, which starts after the CLI's 60-100 ms of imports, 3%
    (8 runs). So a plain script that started its clock at once paid a ramp the lesson did not,
    and the lesson looked faster than the deck's own code. Nothing imported here starts a thread
    or a process, and the timed section that follows is the deck's code alone.
    """
    import scenarios.cli  # noqa: F401 - imported for its start-up work, as the CLI is
    from scenarios.lessons import catalogue

    catalogue.get(lesson_id)  # imports the lesson, as the CLI does before running it
