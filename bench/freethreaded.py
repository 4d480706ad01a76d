"""The GIL and without it: the same lessons on the lab's Python and on a free-threaded one.

On the free-threaded Python `make freethreaded` builds (or any found with the GIL off), and on
the lab's own, side by side in one run (this host is noisy): gil_cpu_bound's threads against
serial, the median of three runs each (issue 20: >= 1.5x without the GIL on two cores, <= 1.2x
with it), and the deck's plain `x += 1` race with 1,000,000 increments per thread, ten runs each
(updates lost in 10 of 10 without the GIL, in none of 10 with it on 3.10+).

    .venv/bin/python -m bench.freethreaded
"""

from __future__ import annotations

import statistics

from bench.results import record

RUNS_SPEEDUP, RUNS_RACE = 3, 10


def run_values(lesson_id: str, params: dict, python) -> dict:
    """One run of a lesson on the process back end, on `python`; its result's values."""
    from scenarios.engine import backends
    from scenarios.lessons import catalogue

    run = backends.make_run(catalogue.get(lesson_id), params, "process", python=python)
    run.start()
    if not run.wait(300):
        run.close()
        raise SystemExit(f"{lesson_id} did not end on {python.label}")
    result = backends.result_of(run.collector.drain())
    if result is None or result.error:
        raise SystemExit(f"{lesson_id} failed on {python.label}: {result}")
    return result.values


def main() -> None:
    """Measure both Pythons, print and record the figures."""
    from scenarios.engine import interpreters

    mine = interpreters.this_python()
    free = next((p for p in interpreters.found() if p.free_threaded and not p.gil), None)
    if free is None:
        print("no free-threaded Python here (make freethreaded builds one): nothing to compare")
        return
    for name, python, budget, better in (("gil", mine, 1.2, "lower"),
                                         ("nogil", free, 1.5, "higher")):
        speedups = []
        for _ in range(RUNS_SPEEDUP):
            values = run_values("gil_cpu_bound", {"workers": 2, "work_m": 15}, python)
            speedups.append(values["threads_speedup"])
        median = statistics.median(speedups)
        ok = record(f"threads_speedup_{name}", median, "x", budget, better)
        print(f"{python.label}: threads {median:.2f}x serial (runs {speedups}; "
              f"{'<=' if better == 'lower' else '>='} {budget}) {'ok' if ok else 'OUT OF BUDGET'}")
        lost = [run_values("race_counter", {"step": "x += 1", "increments": 1_000_000},
                           python)["lost_updates"] for _ in range(RUNS_RACE)]
        losing = sum(1 for n in lost if n > 0)
        print(f"{python.label}: x += 1 lost updates in {losing} of {RUNS_RACE} runs "
              f"(median {statistics.median(lost):,.0f} of 2,000,000)")
        record(f"race_runs_losing_{name}", losing, f"of {RUNS_RACE}",
               RUNS_RACE if name == "nogil" else 0, "higher" if name == "nogil" else "lower")


if __name__ == "__main__":
    main()
