"""Lesson: a child process appends to a global list; the parent's list stays empty."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from scenarios.engine import probe
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, more_than, ran, where

result = []  # the deck's global list


def calc_square(numbers, delay):
    """Runs in the child: square each number into the global list, then show what it holds."""
    lab = probe.current()  # the child's own lab: its prints go to the console
    for n in numbers:
        lab.sleep(delay)
        result.append(n * n)
    lab.print("inside the child, result =", result, f"(pid {os.getpid()})")
    return result  # the lab mails this back over a pipe; the global list itself stays here


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Start the child on calc_square, join it, and print the parent's list."""
    result.clear()
    numbers = list(range(2, 2 + p["numbers"]))
    child = lab.Process(target=calc_square, args=(numbers, p["delay"]), name="child")
    child.start()
    child.join()
    lab.print("in the parent,  result =", result, f"(pid {os.getpid()})")
    return {
        "child_result": child.returned,
        "parent_result": list(result),
        "parent_pid": os.getpid(),
        "child_pid": child.pid,
    }


def headline(values: dict[str, Any]) -> Headline:
    """What each process's list holds at the end."""
    return Headline(f"child's list: {values['child_result']} · parent's list: "
                    f"{values['parent_result']}", "neutral")


LESSON = Lesson(
    id="process_isolation",
    title="Processes share nothing",
    summary="A child process fills a global list; the parent's copy stays empty.",
    section="Processes",
    text=LessonText(
        watch="The child's row squares the numbers and prints its list, full. Then the parent "
        "prints the same global list: empty. Two rows, two process ids, two lists.",
        try_="Make the child slower with the delay and watch the parent wait in join. Add more "
        "numbers: the parent's list stays empty however long the child works.",
        why="A process has its own memory. Spawning a child starts a new interpreter that imports "
        "the module afresh, so the list 'result' in the child is a different list from the "
        "parent's. To get data back, a process must send it: a Queue, a Pipe, a Value or an Array.",
    ),
    params=(
        int_param("numbers", 4, 1, 50, "How many numbers the child squares.", label="Numbers"),
        float_param("delay", 0.2, 0.0, 2.0, "Pause before each square, so the work shows.",
                    unit="s", live=False, step=0.1, label="Delay per number"),
    ),
    run=run,
    code=(calc_square, run),
    result_keys=("child_result", "parent_result", "parent_pid", "child_pid"),
    headline=headline,
    tries=(
        Try("Run it: the child's list fills, the parent's stays empty.",
            ran(result=where(child_result=bool, parent_result=[]))),
        Try("Make the child slower (delay above 0.2 s): the parent waits in join.",
            ran(delay=more_than(0.2))),
        Try("Add more numbers (above 4): the parent's list is still empty.",
            ran(numbers=more_than(4), result=where(parent_result=[]))),
    ),
)
