"""Lesson: an Event fires the start gun; a Semaphore lets at most n threads inside at once."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import bool_param, float_param, int_param
from scenarios.model.tries import Try, compare, more_than, ran, where
from scenarios.model.words import plural


class Room:
    """Counts the threads inside the guarded section (its own small lock keeps the count exact)."""

    def __init__(self) -> None:
        self.count_lock = threading.Lock()
        self.inside = 0
        self.max_inside = 0
        self.entries = 0
        self.early = 0  # entries before the start gun fired: there must be none


def runner(lab, gun, semaphore, room: Room, rounds: int) -> None:
    """One thread: wait for the gun, then `rounds` times wait for the semaphore and go inside."""
    lab.wait_until(gun.wait, "blocked", "waiting for the start gun")  # gun.wait() that Stop wakes
    for _ in range(rounds):
        guarded = lab.param("use_semaphore")  # live: read once per round
        if guarded:
            lab.wait_until(lambda t: semaphore.acquire(timeout=t), "wait_lock",
                           "waiting for the semaphore")  # semaphore.acquire()
        try:
            enter(lab, gun, room)
            lab.sleep(lab.param("inside_s"), label="inside", kind="hold_lock")
        finally:
            leave(lab, room)
            if guarded:
                semaphore.release()
        lab.sleep(lab.param("outside_s"), label="outside")


def enter(lab, gun, room: Room) -> None:
    """Count this thread in, and show how many are inside now."""
    with room.count_lock:
        room.inside += 1
        room.entries += 1
        room.early += not gun.is_set()
        room.max_inside = max(room.max_inside, room.inside)
        lab.metric("inside", room.inside)


def leave(lab, room: Room) -> None:
    """Count this thread out."""
    with room.count_lock:
        room.inside -= 1
        lab.metric("inside", room.inside)


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start the threads, fire the gun after a pause, join them, report the most inside at once."""
    gun = threading.Event()
    semaphore = threading.Semaphore(p["limit"])
    room = Room()
    threads = [lab.Thread(target=runner, args=(lab, gun, semaphore, room, p["rounds"]),
                          name=f"Thread {i + 1}") for i in range(p["threads"])]
    for t in threads:
        t.start()
    lab.metric("inside", 0)
    lab.sleep(p["gun_delay"], label="before the gun")  # every thread is waiting at the line
    lab.print("Go!")
    lab.mark("start gun: gun.set()")
    gun.set()
    for t in threads:
        t.join()
    lab.print(f"at most {plural(room.max_inside, 'thread')} inside at once "
              f"(semaphore {'on' if lab.param('use_semaphore') else 'off'}, limit {p['limit']})")
    return {
        "max_inside": room.max_inside,
        "limit": p["limit"],
        "threads": p["threads"],
        "entries": room.entries,
        "entered_before_gun": room.early,
        "use_semaphore": lab.param("use_semaphore"),
    }


def headline(values: dict[str, Any]) -> Headline:
    """Did the semaphore hold the limit?"""
    inside, limit = values["max_inside"], values["limit"]
    return Headline(f"at most {plural(inside, 'thread')} inside at once (limit {limit})",
                    "good" if inside <= limit else "bad")


LESSON = Lesson(
    id="event_and_semaphore",
    title="Event start gun and Semaphore",
    summary="An Event releases every thread at once; a Semaphore lets only n inside together.",
    section="Synchronisation",
    text=LessonText(
        watch="Every thread row waits for the start gun, then all leave together when main sets "
        "the Event. After that, at most n rows show an 'inside' bar at any moment; the others "
        "wait for the semaphore. The 'inside' plot never climbs above n.",
        try_="Change the limit n: 1 makes it a lock, more lets more in. Switch the semaphore off "
        "mid-run and every thread piles inside at once. Make 'inside' longer and watch the "
        "queue of waiting rows grow.",
        why="Event.wait() blocks until some thread calls set(), then wakes every waiter at once: "
        "a start gun. A Semaphore holds n permits: acquire() takes one or waits until another "
        "thread releases one. It limits how many threads use something at once (connections, "
        "downloads) without making them take turns one by one like a Lock.",
    ),
    params=(
        int_param("threads", 6, 1, 16, "How many threads run.", label="Threads"),
        int_param("limit", 2, 1, 16, "n in Semaphore(n): how many threads may be inside at once.",
                  label="Semaphore limit n"),
        int_param("rounds", 2, 1, 20, "How many times each thread goes inside.", label="Rounds"),
        float_param("inside_s", 0.4, 0.0, 5.0, "How long a thread stays inside.", unit="s",
                    live=True, step=0.1, label="Time inside"),
        float_param("outside_s", 0.1, 0.0, 5.0, "How long a thread waits outside before its "
                    "next round.", unit="s", live=True, step=0.1, label="Time outside"),
        float_param("gun_delay", 0.5, 0.0, 5.0, "How long main waits before firing the gun.",
                    unit="s", step=0.1, label="Start gun after"),
        bool_param("use_semaphore", True, "Guard the inside with the semaphore.", live=True,
                   label="Use the semaphore"),
    ),
    run=run,
    code=(runner, enter, leave, run),
    result_keys=("max_inside", "limit", "threads", "entries", "entered_before_gun"),
    headline=headline,
    tries=(
        Try("Set the limit to 1: the semaphore acts as a lock, one thread inside at a time.",
            ran(limit=1, use_semaphore=True, result=where(max_inside=1))),
        Try("Raise the limit above 2: more threads are inside at once.",
            ran(limit=more_than(2), use_semaphore=True, result=where(max_inside=more_than(2)))),
        Try("Switch the semaphore off (mid-run too): threads pile inside past the limit.",
            ran(use_semaphore=False, result=compare("max_inside", ">", "limit"))),
    ),
)
