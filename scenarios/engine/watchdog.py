"""Deadlock detection from lab locks: who waits for whom, and is there a cycle."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from scenarios.engine.events import Worker


class WaitEdge(NamedTuple):
    """One arrow of the wait-for graph: `waiter` waits for `lock`, which `owner` holds."""

    waiter: Worker
    lock: str
    owner: Worker

    def describe(self) -> str:
        """The arrow in words, e.g. 'Thread 1 waits for lock B held by Thread 2'."""
        return f"{self.waiter.name} waits for {self.lock} held by {self.owner.name}"


def wait_for_graph(locks: Iterable[Any]) -> list[WaitEdge]:
    """Every thread blocked on a held lab lock, as arrows to the lock's owner.

    A wait with a timeout is left out: it ends on its own, so it cannot keep a thread stuck.
    The locks' fields change under our feet; copies are taken and odd states (an owner that is
    the waiter itself, in the instant it gets the lock) are skipped.
    """
    edges = []
    for lock in locks:
        owner = lock.owner
        timed = set(lock.timed)
        for tid, waiter in dict(lock.waiting).items():
            if owner is None or tid in timed or owner.tid == tid:
                continue
            edges.append(WaitEdge(waiter, lock.name, owner))
    return edges


def find_cycle(edges: list[WaitEdge]) -> list[WaitEdge]:
    """A cycle in the wait-for graph (the arrows that form it, in order), or [] if none.

    A thread waits for one lock at a time, so each thread has at most one outgoing arrow:
    following the arrows from each thread either ends, or comes back to a thread seen on the way.
    """
    out = {edge.waiter.tid: edge for edge in edges}
    for start in out:
        path: list[WaitEdge] = []
        seen: dict[int, int] = {}  # tid -> its index in path
        tid = start
        while tid in out and tid not in seen:
            seen[tid] = len(path)
            path.append(out[tid])
            tid = out[tid].owner.tid
        if tid in seen:
            return path[seen[tid]:]
    return []
