"""process_isolation: the child's global list fills, the parent's stays empty."""

import pytest

from tests.support import check_stop_when


@pytest.mark.parametrize("backend", ["thread", "process"])
def test_parent_list_stays_empty(run_lesson, backend):
    result, events = run_lesson("process_isolation", {"numbers": 3, "delay": 0.0}, backend)
    assert result.error is None
    values = result.values
    assert values["child_result"] == [4, 9, 16]
    assert values["parent_result"] == []
    assert values["child_pid"] != values["parent_pid"]


def test_stop_ends_the_child_within_a_second():
    check_stop_when(
        "process_isolation", {"numbers": 50, "delay": 2.0}, "thread",
        lambda events: any(getattr(e, "label", "") == "started" and e.worker.name == "child"
                           for e in events),
        timeout=None)
