"""thread_introspection: the live threads table; Python threads are kernel threads."""

from __future__ import annotations

import pytest

from scenarios.engine.events import Metric, Table
from scenarios.lessons import catalogue
from scenarios.lessons.thread_introspection import COLUMNS
from tests.support import check_finished, check_stops_within_a_second

BACKENDS = ("thread", "process")
LESSON = catalogue.get("thread_introspection")
# Two workers, the second started 0.1 s after the first, each living 0.6 s: both are alive
# together for half a second, several table samples (one per 0.1 s).
QUICK = {"threads": 2, "stagger": 0.1, "lifetime": 0.6}


def rows_of(table: Table, name: str) -> list[dict]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows
            if row[0] == name]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_table_follows_the_threads(run_lesson, backend: str) -> None:
    result, events = run_lesson("thread_introspection", QUICK, backend)
    values = check_finished(result, LESSON)
    # Every lesson thread, main included, is a kernel thread of its own that the OS lists.
    ids = values["native_ids"]
    assert len(ids) == 3 and len(set(ids.values())) == 3
    assert values["seen_by_os"] == dict.fromkeys(ids, True)
    # The count rises by the two workers while both live, and falls back when they end.
    counts = [n for _, n in values["active_counts"]]
    assert max(counts) == counts[-1] + 2
    os_counts = [n for _, n in values["os_thread_counts"]]
    assert max(os_counts) >= os_counts[-1] + 2
    tables = [e for e in events if isinstance(e, Table) and e.name == "threads"]
    assert len(tables) >= 5 and all(list(t.columns) == COLUMNS for t in tables)
    # Before start() a thread has no ident; alive after; not alive at the end.
    first = rows_of(tables[0], "worker 2")[0]
    assert first["ident"] is None and first["native id"] is None and first["alive"] is False
    assert any(r["alive"] for t in tables for r in rows_of(t, "worker 2"))
    last = tables[-1]
    for name in ("worker 1", "worker 2"):
        row = rows_of(last, name)[0]
        assert row["alive"] is False and row["whose"] == "lesson"
        assert row["native id"] == ids[name]
    assert rows_of(last, "worker 1")[0]["daemon"] is False
    assert rows_of(last, "worker 2")[0]["daemon"] is True
    # The table lists the program's other threads too, honestly labelled.
    assert {r[0] for r in last.rows if r[6] == "the lab / app"} == set(values["other_threads"])
    names = {e.name for e in events if isinstance(e, Metric)}
    assert names == {"threading.active_count()", "OS threads (psutil)"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_ends_it_within_a_second(backend: str) -> None:
    check_stops_within_a_second("thread_introspection", {"threads": 8, "stagger": 5.0,
                                                         "lifetime": 10.0}, backend)
