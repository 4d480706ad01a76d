"""Lesson: multiprocessing.Queue and Pipe carry data out of a child; queue.Queue cannot."""

from __future__ import annotations

import os
import queue
from collections.abc import Mapping
from typing import Any

from scenarios.engine import probe
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, more_than, other_than, ran, where


def calc_square(numbers, q, delay):
    """The deck's calc_square: put each square on the queue q."""
    lab = probe.current()  # the child's lab: lab.sleep is time.sleep that Stop can wake
    for n in numbers:
        lab.sleep(delay, label=f"square {n}")
        q.put(n * n)
        lab.print(f"child {os.getpid()} put {n * n}")


def send_squares(numbers, conn, delay):
    """The same work over a Pipe: send each square down the child's end, then None for 'done'."""
    lab = probe.current()
    for n in numbers:
        lab.sleep(delay, label=f"square {n}")
        conn.send(n * n)
        lab.print(f"child {os.getpid()} sent {n * n}")
    conn.send(None)
    conn.close()


def with_multiprocessing_queue(lab, numbers, delay):
    """The deck's code: a multiprocessing.Queue, filled by the child, emptied after join."""
    q = lab.mp.Queue()  # multiprocessing.Queue()
    p = lab.Process(target=calc_square, args=(numbers, q, delay), name="mp.Queue child")
    p.start()
    p.join()
    items = []
    while q.empty() is False:
        items.append(q.get())
    lab.print("multiprocessing.Queue gave the parent:", items)
    q.close()
    return items


def with_thread_queue(lab, numbers, delay):
    """The same code with queue.Queue, the queue for threads: can it cross to a process?"""
    q = queue.Queue()  # lives in this process's memory, guarded by thread locks
    p = lab.Process(target=calc_square, args=(numbers, q, delay), name="queue.Queue child")
    try:
        p.start()  # spawn pickles the arguments to send them to the new interpreter
    except Exception as exc:
        lab.mark("p.start() refused")
        lab.print(f"p.start() refused: {type(exc).__name__}: {exc}", stream="stderr")
        lab.print("queue.Queue holds thread locks, which cannot be pickled: it cannot even be "
                  "sent to another process, let alone bring items back.", stream="stderr")
        return [], f"{type(exc).__name__}: {exc}"
    p.join()
    items = []
    while not q.empty():
        items.append(q.get())
    lab.print("queue.Queue gave the parent:", items)
    return items, None


def with_pipe(lab, numbers, delay):
    """A Pipe: two connected ends; the child sends, the parent receives as the items come."""
    parent_conn, child_conn = lab.mp.Pipe()  # multiprocessing.Pipe()
    p = lab.Process(target=send_squares, args=(numbers, child_conn, delay), name="Pipe child")
    p.start()
    child_conn.close()  # the parent's copy of the child's end: not needed here
    items = []
    while True:
        lab.wait_until(parent_conn.poll, "blocked", "recv")  # parent_conn.recv() that Stop wakes
        item = parent_conn.recv()
        if item is None:
            break
        items.append(item)
        lab.metric("pipe items", len(items))
    p.join()
    parent_conn.close()
    lab.print("Pipe gave the parent:", items)
    return items


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Send the same squares back three ways, one after another."""
    numbers = list(range(2, 2 + p["numbers"]))
    delay = p["delay"]
    mp_items = with_multiprocessing_queue(lab, numbers, delay)
    thread_items, refused = with_thread_queue(lab, numbers, delay)
    pipe_items = with_pipe(lab, numbers, delay)
    return {
        "numbers": numbers,
        "mp_queue_items": mp_items,
        "thread_queue_items": thread_items,
        "thread_queue_error": refused,
        "pipe_items": pipe_items,
    }


def headline(values: dict[str, Any]) -> Headline:
    """What each channel brought back."""
    return Headline(f"mp.Queue {values['mp_queue_items']} · queue.Queue "
                    f"{values['thread_queue_items']} · Pipe {values['pipe_items']}")


LESSON = Lesson(
    id="queues",
    title="Queues and Pipes between processes",
    summary="multiprocessing.Queue and Pipe bring a child's results back; queue.Queue cannot.",
    section="Processes",
    text=LessonText(
        watch="Three tries at getting the squares out of a child. The multiprocessing.Queue "
        "child puts them and the parent reads them all after join. The queue.Queue try fails "
        "at p.start(), in red in the console: nothing comes back. The Pipe child sends each "
        "square, and the parent receives it at once: watch its row wake as each one arrives.",
        try_="Raise the delay to see the Pipe's items arrive one by one while the child still "
        "works, where the Queue's are read only after join. Change the count of numbers: the "
        "Queue and the Pipe carry them all, the thread queue none.",
        why="A process shares no memory with its parent, so data must be sent. "
        "multiprocessing.Queue and Pipe do that: they pickle each item and pass the bytes "
        "through an operating-system pipe. queue.Queue is for threads of one process: it is "
        "a plain object guarded by thread locks, and spawn must pickle a child's arguments, "
        "which a lock refuses. A Pipe joins exactly two ends; a Queue can have many putters "
        "and getters.",
    ),
    params=(
        int_param("numbers", 3, 1, 20, "How many numbers the children square (2, 3, 4, ...).",
                  label="Numbers"),
        float_param("delay", 0.3, 0.0, 2.0, "Pause before each square, so the sending shows.",
                    unit="s", step=0.1, label="Delay per number"),
    ),
    run=run,
    code=(calc_square, send_squares, with_multiprocessing_queue, with_thread_queue, with_pipe,
          run),
    result_keys=("mp_queue_items", "thread_queue_items", "pipe_items"),
    headline=headline,
    tries=(
        Try("Run it: the Queue and the Pipe bring every square back, the thread queue none.",
            ran(result=where(mp_queue_items=bool, pipe_items=bool, thread_queue_items=[]))),
        Try("Raise the delay above 0.3 s: the Pipe's items arrive while the child still works.",
            ran(delay=more_than(0.3))),
        Try("Change the count of numbers: the Queue and the Pipe carry them all.",
            ran(numbers=other_than(3))),
    ),
)
