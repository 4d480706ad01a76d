"""lab.Process: a child that ends without a word (stopped as it started) is no error."""

from __future__ import annotations

from scenarios.engine import backends
from scenarios.model.lesson import Lesson, LessonText


def quits_at_once() -> None:
    """A child's target that ends its process before it returns anything."""
    raise SystemExit(0)


def start_and_join(lab, params) -> dict:
    """A lesson: start the child, join it, read what it returned."""
    child = lab.Process(target=quits_at_once, name="child")
    child.start()
    child.join()
    return {"returned": child.returned, "exitcode": child.exitcode}


LESSON = Lesson(id="quits", title="quits", summary="", section="Processes",
                text=LessonText("", "", ""), params=(), run=start_and_join)


def test_a_child_that_ended_without_a_reply_returned_nothing() -> None:
    """Issue 22, case 5: as a child stopped as it started, 'EOFError: ' was the run's error."""
    run = backends.make_run(LESSON, {}, "thread")
    run.start()
    assert run.wait(30)
    result = backends.result_of(run.collector.drain())
    assert result is not None and result.error is None, result
    assert result.values["returned"] is None and result.values["exitcode"] == 0
