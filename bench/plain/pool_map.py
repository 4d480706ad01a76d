"""The deck's multiprocessing_pool.py, plain: Pool.map(f, range(N)) against the serial loop.

Does the work of `python -m scenarios run pool_speedup --set tasks=N --set pool_size=P` and times
the same two sections as the lesson: the serial loop, and Pool.map once the workers are up (the
lesson starts its pool before the clock starts, so this does too). Prints one JSON line.

    python -m bench.plain.pool_map --tasks 40000 [--processes 2] [--chunksize 0]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from typing import Any

from bench.plain import start_like_the_cli


def f(n):
    """The deck's task, as written on its slide."""
    sum = 0  # noqa: A001 - the deck's own name
    for x in range(1000):
        sum += x * x
    return sum


def _up(ready: Any) -> None:
    """Pool initializer: tell the parent this worker has started."""
    ready.release()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Time the serial loop, then Pool.map on the same tasks; print and return the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=40_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunksize", type=int, default=0, help="0 lets Pool choose")
    args = parser.parse_args(argv)

    start_like_the_cli("pool_speedup")  # untimed: the clock starts on a core as warm as in the CLI
    t = time.perf_counter()
    result = []
    for x in range(args.tasks):
        result.append(f(x))
    serial_s = time.perf_counter() - t

    # spawn, as the lesson (and Windows and macOS) use. Pool() returns before its spawned workers
    # have imported anything, so wait for each to say it is up: the lesson's clock also starts
    # only once every worker is ready.
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Semaphore(0)
    with ctx.Pool(args.processes, initializer=_up, initargs=(ready,)) as pool:
        for _ in range(args.processes):
            ready.acquire()
        t = time.perf_counter()
        parallel = pool.map(f, range(args.tasks), args.chunksize or None)
        parallel_s = time.perf_counter() - t
        pool.close()
        pool.join()
    figures = {"serial_s": serial_s, "parallel_s": parallel_s,
               "speedup": serial_s / parallel_s if parallel_s > 0 else 0.0,
               "same_results": parallel == result}
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
