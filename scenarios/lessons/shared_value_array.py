"""Lesson: a child fills a multiprocessing Value and Array; a plain list and float stay empty."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from scenarios.engine import probe
from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import float_param, int_param
from scenarios.model.tries import Try, any_of, more_than, other_than, ran, where

# The parent looks at both results this often while the children work: often enough to see the
# shared Array fill square by square, rarely enough to cost nothing.
LOOK_EVERY_S = 0.1


class PlainValue:
    """An ordinary Python object with a `.value`, standing in for a plain float.

    A float cannot be changed in place at all, so the plain side gets this holder; it is passed
    to the child the same way as the shared Value, and the child sets `.value` just the same.
    """

    def __init__(self, value: float) -> None:
        self.value = value


def calc_square(numbers, result, v, value, delay):
    """The deck's calc_square, run in a child: set v.value, then square each number into result."""
    lab = probe.current()  # the child's own lab: lab.sleep is time.sleep that Stop can wake
    v.value = value
    for idx, n in enumerate(numbers):
        lab.sleep(delay, label=f"square {n}")
        result[idx] = n * n
    lab.print(f"inside the child (pid {os.getpid()}): v = {v.value}, result = {result[:]}")


def show(lab, result, v, plain_result, plain_v) -> None:
    """The parent's view of both pairs, as a live table."""
    lab.table("what the parent sees", ["", "v.value", "result[:]"], [
        ["multiprocessing.Value / Array", v.value, result[:]],
        ["plain float / list", plain_v.value, plain_result[:]],
    ])


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Run calc_square in two children, one on shared memory and one on plain objects."""
    numbers = list(range(2, 2 + p["numbers"]))
    result = lab.mp.Array("i", len(numbers))  # multiprocessing.Array('i', 3): shared memory
    v = lab.mp.Value("d", 0.0)                # multiprocessing.Value('d', 0.0): shared memory
    plain_result = [0] * len(numbers)         # an ordinary list: the child gets a copy
    plain_v = PlainValue(0.0)                 # an ordinary object: the child gets a copy
    args = (p["value"], p["delay"])
    shared = lab.Process(target=calc_square, args=(numbers, result, v, *args), name="shared")
    plain = lab.Process(target=calc_square, args=(numbers, plain_result, plain_v, *args),
                        name="plain")
    shared.start()
    plain.start()
    while shared.is_alive() or plain.is_alive():
        show(lab, result, v, plain_result, plain_v)
        lab.sleep(LOOK_EVERY_S, label="look")
    shared.join()
    plain.join()
    show(lab, result, v, plain_result, plain_v)
    lab.print(f"in the parent (pid {os.getpid()}): shared v = {v.value}, result = {result[:]}")
    lab.print(f"in the parent (pid {os.getpid()}): plain  v = {plain_v.value}, "
              f"result = {plain_result}")
    return {
        "value": v.value,
        "array": result[:],
        "plain_value": plain_v.value,
        "plain_list": list(plain_result),
        "numbers": numbers,
    }


def headline(values: dict[str, Any]) -> Headline:
    """What came back to the parent, shared against plain."""
    return Headline(f"shared: {values['value']:g}, {list(values['array'])} · plain: "
                    f"{values['plain_value']:g}, {list(values['plain_list'])}")


LESSON = Lesson(
    id="shared_value_array",
    title="Shared memory: Value and Array",
    summary="A child fills a multiprocessing Array and Value; a plain list and float stay empty.",
    section="Processes",
    text=LessonText(
        watch="Two children run the same calc_square. The 'shared' one writes into a "
        "multiprocessing.Value and Array, and the parent's table fills square by square while it "
        "works. The 'plain' one writes into an ordinary list and float holder: the parent's "
        "copies stay at zero, though the child prints its own full list.",
        try_="Slow the children down with the delay and watch the shared row of the table fill "
        "live. Change the value the child writes, or the count of numbers: the shared side always "
        "follows, the plain side never does.",
        why="Each process has its own memory, so arguments reach a spawned child as pickled "
        "copies: the child's list is a new list. Value and Array live in shared memory that both "
        "processes map, so a write in the child is a write the parent sees. They hold only "
        "simple C types ('d' is a double, 'i' an int), and each access takes a small lock.",
    ),
    params=(
        int_param("numbers", 3, 1, 20, "How many numbers the children square (2, 3, 4, ...); "
                  "the Array has this many slots.", label="Numbers"),
        float_param("value", 5.67, -1e6, 1e6, "The float each child writes into v.value.",
                    label="Value written"),
        float_param("delay", 0.5, 0.0, 2.0, "Pause before each square, so the table fills "
                    "visibly.", unit="s", step=0.1, label="Delay per number"),
    ),
    run=run,
    code=(calc_square, run),
    result_keys=("value", "array", "plain_value", "plain_list"),
    headline=headline,
    tries=(
        Try("Run it: the shared Value and Array come back filled, the plain ones stay 0.",
            ran(result=where(value=other_than(0), plain_value=0))),
        Try("Slow the children down (delay above 0.5 s): the shared row fills live.",
            ran(delay=more_than(0.5))),
        Try("Change the value the child writes, or the count of numbers: the shared side follows.",
            any_of(ran(value=other_than(5.67)), ran(numbers=other_than(3)))),
    ),
)
