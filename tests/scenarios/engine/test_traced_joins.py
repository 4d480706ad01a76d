"""A traced script's joins: main's row shows it blocked while what it joins runs."""

from __future__ import annotations

import textwrap

from scenarios.engine.events import Mark, Span
from tests.support import traced

JOINS = """
    import multiprocessing as mp, threading, time
    def nap():
        time.sleep(0.3)
    if __name__ == "__main__":
        t = threading.Thread(target=nap, name="napper")
        t.start(); t.join()
        p = mp.Process(target=nap)
        p.start(); p.join()
        s = mp.get_context("spawn").Process(target=nap, name="spawned")
        s.start(); s.join()
        pool = mp.Pool(1)
        pool.apply_async(nap)
        pool.close(); pool.join()
        print("joined", p.exitcode, s.exitcode)
"""


def main_waits(events, label: str) -> list[Span]:
    """Main's blocked spans with this label (merged ones too: 'join Process-1 ×6')."""
    return [e for e in events if isinstance(e, Span) and e.worker.name == "main"
            and e.kind == "blocked" and e.label.split(" ×")[0] == label]


def ended(events, name: str) -> int:
    """When the thread or process of this name marked its end."""
    return next(e.time for e in events if isinstance(e, Mark) and e.worker.name == name
                and e.label == "finished")


def test_main_is_drawn_blocked_while_it_joins_a_thread_a_process_or_a_pool(tmp_path) -> None:
    path = tmp_path / "joins.py"
    path.write_text(textwrap.dedent(JOINS))
    result, events = traced(str(path))
    assert result.error is None and result.values["exit_code"] == 0
    for label, name in (("join napper", "napper"), ("join Process-1", "Process-1"),
                        ("join spawned", "spawned")):
        waits = main_waits(events, label)
        assert waits, f"no {label!r} on main's row"
        assert sum(e.end - e.start for e in waits) > 0.2e9  # the child's 0.3 s nap, nearly all
        assert min(e.start for e in waits) < ended(events, name) <= max(e.end for e in waits)
    assert sum(e.end - e.start for e in main_waits(events, "Pool.join")) > 0.2e9
