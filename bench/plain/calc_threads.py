"""The deck's mult_threading.py, plain: calc_square and calc_cube in turn, then on two threads.

Does the work of `python -m scenarios run io_bound_threads --set delay=D --set numbers=N` and
times the same two sections as the lesson. Prints the deck's lines, then one JSON line.

    python -m bench.plain.calc_threads --delay 0.2 --numbers 4
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any

DECK_ARR = [2, 3, 8, 9]
delay = 0.2  # the deck's time.sleep(0.2); set from --delay


def calc_square(numbers):
    """The deck's calc_square."""
    print("calculate square numbers")
    for n in numbers:
        time.sleep(delay)
        print("square:", n * n)


def calc_cube(numbers):
    """The deck's calc_cube."""
    print("calculate cube of numbers")
    for n in numbers:
        time.sleep(delay)
        print("cube:", n * n * n)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Time both functions serially, then on two threads; print and return the figures."""
    global delay
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--numbers", type=int, default=4)
    args = parser.parse_args(argv)
    delay = args.delay
    arr = (DECK_ARR + list(range(10, 10 + args.numbers)))[:args.numbers]  # as the lesson does

    t = time.perf_counter()
    calc_square(arr)
    calc_cube(arr)
    serial_s = time.perf_counter() - t
    print("done in : ", serial_s)

    t = time.perf_counter()
    t1 = threading.Thread(target=calc_square, args=(arr,))
    t2 = threading.Thread(target=calc_cube, args=(arr,))
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    threaded_s = time.perf_counter() - t
    print("done in : ", threaded_s)

    figures = {"serial_s": serial_s, "threaded_s": threaded_s,
               "speedup": serial_s / threaded_s if threaded_s > 0 else 0.0}
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
