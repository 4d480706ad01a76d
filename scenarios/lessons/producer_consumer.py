"""Lesson: producers and consumers meet at a bounded buffer (Queue, Condition or Semaphores)."""

from __future__ import annotations

import collections
import queue
import threading
from collections.abc import Mapping
from typing import Any

from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import choice_param, float_param, int_param
from scenarios.model.tries import Try, compare, ran

VARIANTS = ("queue.Queue", "Condition", "Semaphore")
DONE = None  # the sentinel a consumer stops at: one per consumer, put after the last item


def wait_for(lab, attempt, label: str) -> None:
    """Try once without waiting; if that fails, wait until it works (drawn, woken by Stop).

    `attempt(timeout)` is a blocking call with a timeout that returns True once it succeeded.
    """
    if not attempt(0):
        lab.wait_until(attempt, "blocked", label)


class QueueBuffer:
    """queue.Queue(maxsize): put blocks while it is full, get blocks while it is empty."""

    def __init__(self, lab, maxsize: int) -> None:
        self.lab = lab
        self.q = queue.Queue(maxsize)

    def put(self, item) -> None:
        """q.put(item)."""
        wait_for(self.lab, lambda t: _put(self.q, item, t), "put: buffer full")

    def get(self):
        """q.get()."""
        got = []
        wait_for(self.lab, lambda t: _get(self.q, got, t), "get: buffer empty")
        return got[0]

    def depth(self) -> int:
        """Items in the buffer now."""
        return self.q.qsize()


def _put(q: queue.Queue, item, timeout: float) -> bool:
    try:
        q.put(item, timeout=timeout)
    except queue.Full:
        return False
    return True


def _get(q: queue.Queue, got: list, timeout: float) -> bool:
    try:
        got.append(q.get(timeout=timeout))
    except queue.Empty:
        return False
    return True


class ConditionBuffer:
    """A deque guarded by a Condition: wait while full (or empty), notify after each change."""

    def __init__(self, lab, maxsize: int) -> None:
        self.lab = lab
        self.maxsize = maxsize
        self.items = collections.deque()
        self.changed = threading.Condition()

    def put(self, item) -> None:
        """Wait until there is room, append, wake the waiters."""
        with self.changed:
            wait_for(self.lab,  # changed.wait_for(there is room)
                     lambda t: self.changed.wait_for(lambda: len(self.items) < self.maxsize, t),
                     "put: buffer full")
            self.items.append(item)
            self.changed.notify_all()

    def get(self):
        """Wait until there is an item, take it, wake the waiters."""
        with self.changed:
            wait_for(self.lab, lambda t: bool(self.changed.wait_for(lambda: self.items, t)),
                     "get: buffer empty")  # changed.wait_for(there is an item)
            item = self.items.popleft()
            self.changed.notify_all()
            return item

    def depth(self) -> int:
        """Items in the buffer now."""
        return len(self.items)


class SemaphoreBuffer:
    """Two semaphores count free slots and filled slots; a lock guards the deque itself."""

    def __init__(self, lab, maxsize: int) -> None:
        self.lab = lab
        self.items = collections.deque()
        self.free = threading.Semaphore(maxsize)
        self.filled = threading.Semaphore(0)
        self.mutex = threading.Lock()

    def put(self, item) -> None:
        """free.acquire(); append; filled.release()."""
        wait_for(self.lab, lambda t: self.free.acquire(timeout=t), "put: buffer full")
        with self.mutex:
            self.items.append(item)
        self.filled.release()

    def get(self):
        """filled.acquire(); popleft; free.release()."""
        wait_for(self.lab, lambda t: self.filled.acquire(timeout=t), "get: buffer empty")
        with self.mutex:
            item = self.items.popleft()
        self.free.release()
        return item

    def depth(self) -> int:
        """Items in the buffer now."""
        return len(self.items)


BUFFERS = dict(zip(VARIANTS, (QueueBuffer, ConditionBuffer, SemaphoreBuffer), strict=True))


class Tally:
    """What went through the buffer, counted under a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.produced = 0
        self.consumed = 0
        self.max_depth = 0

    def note_depth(self, lab, buffer) -> None:
        """Plot the buffer's depth now and keep its maximum."""
        with self.lock:
            depth = buffer.depth()
            self.max_depth = max(self.max_depth, depth)
            lab.metric("queue_depth", depth)


def producer(lab, buffer, tally: Tally, items: range) -> None:
    """Make each item (at the live producer rate) and put it in the buffer."""
    for item in items:
        lab.sleep(1 / lab.param("produce_rate"), label=f"make {item}", kind="run")
        buffer.put(item)
        with tally.lock:
            tally.produced += 1
        tally.note_depth(lab, buffer)


def consumer(lab, buffer, tally: Tally) -> None:
    """Take items until the sentinel, using each one at the live consumer rate."""
    while True:
        item = buffer.get()
        tally.note_depth(lab, buffer)
        if item is DONE:
            return
        lab.sleep(1 / lab.param("consume_rate"), label=f"use {item}", kind="run")
        with tally.lock:
            tally.consumed += 1


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start producers and consumers on one bounded buffer; stop the consumers with sentinels."""
    buffer = BUFFERS[p["variant"]](lab, p["maxsize"])
    tally = Tally()
    lab.metric("queue_depth", 0)
    per_producer = [range(i, p["items"], p["producers"]) for i in range(p["producers"])]
    producers = [lab.Thread(target=producer, args=(lab, buffer, tally, items),
                            name=f"producer {i + 1}") for i, items in enumerate(per_producer)]
    consumers = [lab.Thread(target=consumer, args=(lab, buffer, tally),
                            name=f"consumer {i + 1}") for i in range(p["consumers"])]
    for t in producers + consumers:
        t.start()
    for t in producers:
        t.join()
    for _ in consumers:
        buffer.put(DONE)  # one "no more items" per consumer
    for t in consumers:
        t.join()
    lab.print(f"produced {tally.produced}, consumed {tally.consumed}, "
              f"the buffer held at most {tally.max_depth} of {p['maxsize']}")
    return {
        "produced": tally.produced,
        "consumed": tally.consumed,
        "max_depth": tally.max_depth,
        "maxsize": p["maxsize"],
        "variant": p["variant"],
    }


def headline(values: dict[str, Any]) -> Headline:
    """Items through the buffer, and how full it got."""
    return Headline(f"{values['produced']} produced, {values['consumed']} consumed; the buffer "
                    f"held at most {values['max_depth']}",
                    "good" if values["produced"] == values["consumed"] else "neutral")


LESSON = Lesson(
    id="producer_consumer",
    title="Producer and consumer",
    summary="A bounded buffer between threads: producers wait when it is full, consumers when "
    "it is empty.",
    section="Synchronisation",
    text=LessonText(
        watch="The producer makes items faster than the consumer uses them, so the buffer depth "
        "climbs to its maximum and stays there; then the producer row shows 'put: buffer full' "
        "waits. The depth plot never goes above maxsize.",
        try_="While it runs, make the consumer faster than the producer: the depth drops to 0 and "
        "now the consumer waits ('get: buffer empty'). Try the Condition and Semaphore variants: "
        "the picture is the same, because they build the same thing by hand.",
        why="A bounded queue couples two speeds without losing items or using unbounded memory: "
        "the faster side waits for the slower one. queue.Queue does it with a lock and two "
        "Conditions inside; a Condition lets a thread sleep until another notifies it of a "
        "change; two Semaphores can count free and filled slots.",
    ),
    params=(
        choice_param("variant", VARIANTS[0], VARIANTS, "How the bounded buffer is built.",
                     label="Buffer"),
        int_param("maxsize", 5, 1, 100, "How many items the buffer holds at most.",
                  label="Buffer size"),
        int_param("items", 20, 1, 10_000, "How many items are produced in all.", label="Items"),
        int_param("producers", 1, 1, 4, "Producer threads.", label="Producers"),
        int_param("consumers", 1, 1, 4, "Consumer threads.", label="Consumers"),
        float_param("produce_rate", 10.0, 0.5, 1000.0, "Items each producer makes per second.",
                    unit="items/s", live=True, step=1.0, label="Producer rate"),
        float_param("consume_rate", 5.0, 0.5, 1000.0, "Items each consumer uses per second.",
                    unit="items/s", live=True, step=1.0, label="Consumer rate"),
    ),
    run=run,
    code=(producer, consumer, wait_for, QueueBuffer, ConditionBuffer, SemaphoreBuffer, run),
    result_keys=("produced", "consumed", "max_depth"),
    headline=headline,
    tries=(
        Try("Run it as it is: the buffer fills up to maxsize and the producer waits.",
            ran(result=compare("max_depth", ">=", "maxsize"))),
        Try("Make the consumer faster than the producer: the buffer empties, the consumer waits.",
            ran(given=compare("consume_rate", ">", "produce_rate"))),
        Try("Try the Condition variant: the same picture, built by hand.",
            ran(variant="Condition")),
        Try("Try the Semaphore variant: the same picture again.", ran(variant="Semaphore")),
    ),
)
