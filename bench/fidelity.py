"""Fidelity: the lab's lessons against the deck's own code run plain (issue 7, point 1).

1. For three deck examples (Pool.map against the serial loop, calc_square/calc_cube on threads,
   deposit/withdraw in processes) runs the plain script (bench/plain/) and the lesson through
   `python -m scenarios run ID --set ... --json`, each as a subprocess, interleaved, several
   rounds (Pool.map, the most disturbed, three times per round), and compares the same sections of
   work on each side: ratio = lesson / plain, budget 1.03. Each section's time on each side is
   the mean of its three fastest runs (below).
2. Costs one recorded span in-process: `with lab.span(...)` on a real Lab feeding the thread back
   end's sink and collector, merge on and off, against an empty loop; budget 2 µs per span.
3. Checks that the speedup pool_speedup reports agrees with the plain script's: the median over
   interleaved pairs of lesson / plain speedup, |that - 1| in %, budget the plain script's own
   run-to-run spread (the noise floor, printed) + 3 % (issue 16).

Why the three fastest. This host's cores change speed under other machines' load: a loop of fixed
work takes 52 ms, then 90 ms for a second or two, then 52 again; CPU time grows with wall time
(no steal is counted), so a run's time mixes the work with how long the host was slow during it.
That noise only ever adds, and the times have a sharp lower edge (the host at full speed all
through), so the fastest runs are the least disturbed ones (timeit's rule); the mean of three,
per section, keeps one lucky run from deciding. A wider share reads the slope above the edge,
which is where the noise is: 90 plain Pool.map runs split at random into two sets of 45 gave
speedups a median 1.0% apart with the three fastest, 2.6% with the fastest third (p95 3.1% and
7.1%), and two sessions' plain speedups came out 1.991 and 1.986. The same estimator between the
plain script's even and odd rounds is printed as the noise floor.

Every figure is measured here; nothing is simulated. About 5 minutes on 2 cores.

    .venv/bin/python -m bench.fidelity [--rounds 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.results import record

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 15
RATIO_BUDGET = 1.03  # issue 7: a lesson may cost at most 3% over the deck's plain code
SPAN_BUDGET_US = 2.0  # issue 7: per recorded span, in-process
# issue 16: the median of interleaved pairs' lesson / plain speedup within the plain program's
# own run-to-run spread (printed) + 3 % (issue 7 had a fixed 5 %, which the noise alone broke)
AGREEMENT_SLACK_PCT = 3.0
SPANS = 50_000  # per timing of the span micro-benchmark (under a tenth of a second)
SPAN_REPEATS = 21  # short timings, many of them: the fastest fall in full-speed spells
FASTEST_RUNS = 3  # runs averaged at the lower edge of each section's times


@dataclass
class Example:
    """One deck example: its plain script and its lesson, set to do the same work."""

    name: str
    plain: list[str]  # module and arguments after `python -m`
    lesson: str
    settings: list[str]
    # The timed sections: (key in the plain script's JSON, key in the lesson's result).
    sections: tuple[tuple[str, str], ...]
    check: Callable[[dict[str, Any], dict[str, Any]], str | None]  # a reason the runs differ
    # Pairs of runs per round: Pool.map needs every core, so the host's slow spells move it
    # most, and its runs are the shortest: it gets more of them.
    pairs: int = 1
    plain_runs: list[dict[str, Any]] = field(default_factory=list)
    lesson_runs: list[dict[str, Any]] = field(default_factory=list)

    def times(self, side: str, runs: list[dict[str, Any]] | None = None) -> list[list[float]]:
        """Each section's times (s) over the runs of one side ("plain" or "lesson")."""
        index = 0 if side == "plain" else 1
        runs = runs if runs is not None else getattr(self, f"{side}_runs")
        return [[_section(run, keys[index]) for run in runs] for keys in self.sections]


def _section(run: dict[str, Any], key: str) -> float:
    return run["result"][key] if "result" in run else run[key]


def fastest(values: list[float]) -> float:
    """The mean of the FASTEST_RUNS fastest values (all, if fewer): the least disturbed runs."""
    return statistics.mean(sorted(values)[:FASTEST_RUNS])


def speedup(sections: list[list[float]]) -> float:
    """Pool.map's speedup from its two sections' times (serial, then Pool.map)."""
    serial, parallel = (fastest(times) for times in sections)
    return serial / parallel


def speedup_agreement(pool: Example) -> dict[str, Any]:
    """How far the lesson's Pool.map speedup is from the plain program's, against the noise.

    off_pct: |median over interleaved pairs of (lesson speedup / plain speedup) - 1|, in %.
    noise_pct: the plain program against itself: the median of |b / a - 1| over its runs taken
    two by two in the order they ran (a, b), in %: how far apart two runs of the same code are.
    """
    speedups = {side: [_section(run, "serial_s") / _section(run, "parallel_s") for run in runs]
                for side, runs in (("lesson", pool.lesson_runs), ("plain", pool.plain_runs))}
    ratios = [lesson / plain for lesson, plain in zip(speedups["lesson"], speedups["plain"],
                                                        strict=True)]
    plain = speedups["plain"]
    spreads = [abs(b / a - 1) for a, b in zip(plain[::2], plain[1::2], strict=False)]
    return {"off_pct": abs(statistics.median(ratios) - 1) * 100,
            "noise_pct": statistics.median(spreads) * 100 if spreads else 0.0,
            "pairs": len(ratios), "speedups": speedups}


def work_time(sections: list[list[float]]) -> float:
    """The time of all sections: each section's mean of its fastest runs, added up."""
    return sum(fastest(times) for times in sections)


def _pool_check(plain: dict[str, Any], lesson: dict[str, Any]) -> str | None:
    if not plain["same_results"] or not lesson["result"]["same_results"]:
        return "Pool.map and the serial loop disagree"
    return None


def _balance_check(plain: dict[str, Any], lesson: dict[str, Any]) -> str | None:
    if plain["final_balance"] != 200 or lesson["result"]["lost_updates"]:
        return "updates were lost with the lock on"
    return None


# Parameters: sections of about half a second to two seconds. Shorter sections fall more often
# wholly inside a spell when the host runs at full speed (see above), so Pool.map's are short.
TASKS = 15_000  # f takes ~30 µs: serial ~0.45 s, Pool.map on 2 cores ~0.25 s
NUMBERS, DELAY = 5, 0.2  # serial 2 s, two threads 1 s
TIMES, PAUSE_MS = 120, 10.0  # 120 updates 10 ms apart in each process: ~1.3 s with start-up


def examples() -> list[Example]:
    """The three deck examples, each side set to do the same work."""
    cores = os.cpu_count() or 1
    return [
        Example(
            "pool_map",
            ["bench.plain.pool_map", "--tasks", str(TASKS), "--processes", str(cores)],
            "pool_speedup", [f"tasks={TASKS}", f"pool_size={cores}", "chunksize=0", "rounds=1"],
            # Both time the serial loop and Pool.map once the workers are up (not pool start).
            (("serial_s", "serial_s"), ("parallel_s", "parallel_s")),
            _pool_check, pairs=3,
        ),
        Example(
            "calc_threads",
            ["bench.plain.calc_threads", "--numbers", str(NUMBERS), "--delay", str(DELAY)],
            "io_bound_threads", [f"numbers={NUMBERS}", f"delay={DELAY}"],
            (("serial_s", "serial_s"), ("threaded_s", "threaded_s")),
            lambda p, r: None,
        ),
        Example(
            "deposit_withdraw",
            # The deck's second version (with the lock); race window 0 is the deck's own update.
            ["bench.plain.deposit_withdraw", "--times", str(TIMES), "--pause", str(PAUSE_MS),
             "--race-window", "0", "--lock"],
            "process_lock", [f"times={TIMES}", f"pause={PAUSE_MS}", "race_window=0",
                             "use_lock=true"],
            # The same section on both sides: make the Value, start both processes, join them
            # (the lesson's work_s; the CLI's wall_s adds the lab's own start and end of a run).
            (("section_s", "work_s"),),
            _balance_check,
        ),
    ]


def _run_json(args: list[str]) -> dict[str, Any]:
    """Run `python -m ARGS` from the repository root; its last stdout line is one JSON object."""
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    out = done.stdout.strip()
    # The CLI prints one indented object; a plain script prints the deck's lines, then its JSON.
    return json.loads(out if args[0] == "scenarios" else out.splitlines()[-1])


def run_plain(example: Example) -> dict[str, Any]:
    """One run of the plain script."""
    return _run_json(example.plain)


def run_lesson(example: Example) -> dict[str, Any]:
    """One run of the lesson through the headless CLI."""
    args = ["scenarios", "run", example.lesson, "--json"]
    for setting in example.settings:
        args += ["--set", setting]
    report = _run_json(args)
    if not report["ok"]:
        raise RuntimeError(f"{example.lesson} did not end well: {report['error']}")
    return report


def measure_examples(rounds: int) -> list[Example]:
    """Run every example's two sides, interleaved, `rounds` times (times its `pairs`)."""
    chosen = examples()
    for number in range(rounds):
        for example in chosen:
            for pair in range(example.pairs):
                plain, lesson = _measure_pair(example, (number + pair) % 2 == 1)
                print(f"  round {number + 1}/{rounds} {example.name:17s} plain {plain:.3f} s, "
                      f"lesson {lesson:.3f} s", flush=True)
    return chosen


def _measure_pair(example: Example, lesson_first: bool) -> tuple[float, float]:
    """Run the plain script and the lesson once each, and return their sections' times.

    The order alternates, so neither always meets a warmer machine; both runs are checked to have
    done the same, and kept. Returns (plain, lesson).
    """
    sides = [("plain", run_plain), ("lesson", run_lesson)]
    if lesson_first:
        sides.reverse()
    got = {side: run(example) for side, run in sides}
    reason = example.check(got["plain"], got["lesson"])
    if reason:
        raise RuntimeError(f"{example.name}: {reason}")
    example.plain_runs.append(got["plain"])
    example.lesson_runs.append(got["lesson"])
    plain, lesson = (sum(times[0] for times in example.times(side, [got[side]]))
                     for side in ("plain", "lesson"))
    return plain, lesson


# -- per-span cost -----------------------------------------------------------------------------

def _span_loop(lab: Any, n: int, merge: bool) -> float:
    span = lab.span
    t = time.perf_counter()
    for _ in range(n):
        with span("run", "task", merge=merge):
            pass
    return time.perf_counter() - t


def _empty_loop(lab: Any, n: int, merge: bool) -> float:
    t = time.perf_counter()
    for _ in range(n):
        pass
    return time.perf_counter() - t


def _new_lab() -> tuple[Any, Any]:
    """A real Lab wired as the thread back end wires it: BatchingSink into a Collector."""
    from scenarios.engine import probe
    from scenarios.engine.events import now_ns
    from scenarios.engine.sink import BatchingSink, Collector
    from scenarios.engine.stop import StopToken

    collector = Collector()
    sink = BatchingSink(collector.put_batch)
    lab = probe.Lab(sink.emit, StopToken(), {}, now_ns(), None, sink.flush)
    return lab, collector


def _on_lesson_thread(work: Callable[[], Any]) -> Any:
    """Run `work` on a thread named "main", as ThreadRun runs a lesson (not the main thread)."""
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(work()), name="main")
    thread.start()
    thread.join()
    return out[0]


def span_cost_us(merge: bool, n: int = SPANS, repeats: int = SPAN_REPEATS) -> dict[str, Any]:
    """µs per `with lab.span(...)` over an empty loop, and the events it produced.

    The cost is the mean of the fastest repeats.
    """
    def work() -> dict[str, Any]:
        costs = []
        events = 0
        for _ in range(repeats):
            lab, collector = _new_lab()
            empty = _empty_loop(lab, n, merge)
            spans = _span_loop(lab, n, merge)
            lab.flush_thread()
            events = len(collector.drain())
            costs.append((spans - empty) / n * 1e6)
        return {"us": fastest(costs), "runs": costs, "events": events}

    return _on_lesson_thread(work)


def profile_span(merge: bool, n: int = SPANS) -> str:
    """A cProfile of the span loop: where a span's time goes (printed when over budget)."""
    import cProfile
    import io
    import pstats

    def work() -> str:
        lab, _ = _new_lab()
        profiler = cProfile.Profile()
        profiler.enable()
        _span_loop(lab, n, merge)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(12)
        return text.getvalue()

    return _on_lesson_thread(work)


def lesson_breakdown(example: Example, runs: int = 3) -> dict[str, float]:
    """Where a process_lock run's time goes: the lesson run in-process as the CLI runs it.

    Medians (s) of: run start to the first child's "started" mark, each child's whole target,
    the last child's end to its join, the join to the Result, and the Result to the run's end.
    """
    from scenarios.engine import backends
    from scenarios.engine.events import Mark, Result, Span
    from scenarios.lessons import catalogue

    parts: dict[str, list[float]] = {}
    for _ in range(runs):
        lesson = catalogue.get(example.lesson)
        run = backends.make_run(lesson, lesson.parse(example.settings), "thread")
        t = time.perf_counter()
        run.start()
        run.wait()
        wall = time.perf_counter() - t
        events = run.collector.drain()
        at = {(e.worker.name, e.label): (e.time - run.t0) / 1e9 for e in events
              if isinstance(e, Mark)}
        result = next(e for e in reversed(events) if isinstance(e, Result))
        done = (result.time - run.t0) / 1e9
        started = [v for (_, label), v in at.items() if label == "started"]
        finished = [v for (_, label), v in at.items() if label == "finished"]
        joined = max(v for (_, label), v in at.items() if label.startswith("joined"))
        targets = [(e.end - e.start) / 1e9 for e in events
                   if isinstance(e, Span) and e.kind == "run"]
        for name, value in (("start to first child running", min(started)),
                            ("child target (each)", statistics.median(targets)),
                            ("last child done to joined", joined - max(finished)),
                            ("joined to Result", done - joined),
                            ("Result to end of run", wall - done), ("whole run", wall)):
            parts.setdefault(name, []).append(value)
    return {name: statistics.median(values) for name, values in parts.items()}


# -- report ------------------------------------------------------------------------------------

def _median(values: list[float]) -> float:
    return statistics.median(values)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def main() -> int:
    """Measure, print and record the fidelity figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()

    load = os.getloadavg()[0]
    print("per-span cost (in-process, thread back end's sink and collector):", flush=True)
    spans = {merge: span_cost_us(merge) for merge in (True, False)}
    print(f"\nlessons against the deck's plain code, {args.rounds} rounds interleaved:",
          flush=True)
    chosen = measure_examples(args.rounds)

    print(f"\nload average (1 min) on {os.cpu_count()} cores: {load:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end (other programs' load slows Pool.map most)")
    print(f"\n{'figure':34s}  value    budget  verdict     means of the {FASTEST_RUNS} fastest")
    for example in chosen:
        plain, lesson = work_time(example.times("plain")), work_time(example.times("lesson"))
        ratio = lesson / plain
        name = f"fidelity_{example.name}_ratio"
        ok = record(name, ratio, "ratio", RATIO_BUDGET, "lower")
        print(f"{name:34s} {ratio:6.3f}   ≤ {RATIO_BUDGET:<5} {_verdict(ok):12s}"
              f"lesson {lesson:.3f} s / plain {plain:.3f} s ({example.lesson})")

    pool = chosen[0]
    agreement = speedup_agreement(pool)
    budget = agreement["noise_pct"] + AGREEMENT_SLACK_PCT
    ok = record("fidelity_pool_speedup_agreement_pct", agreement["off_pct"], "%", budget, "lower")
    record("fidelity_pool_speedup_noise_floor_pct", agreement["noise_pct"], "%", None, "lower")
    print(f"{'fidelity_pool_speedup_agreement_pct':34s} {agreement['off_pct']:6.2f}   "
          f"≤ {budget:<5.2f} {_verdict(ok):12s}median over {agreement['pairs']} interleaved pairs "
          f"of lesson / plain speedup; budget = the plain program's own spread "
          f"{agreement['noise_pct']:.2f} % + {AGREEMENT_SLACK_PCT:g} %")
    plain_speedup, lesson_speedup = (speedup(pool.times(side)) for side in ("plain", "lesson"))
    print(f"{'':34s} (from each side's {FASTEST_RUNS} fastest sections: lesson "
          f"{lesson_speedup:.3f}× / plain {plain_speedup:.3f}×, "
          f"{abs(lesson_speedup / plain_speedup - 1) * 100:.2f} % apart)")
    # Pool.map needs every core, so a slow spell of the host moves it most: show every run's.
    for side, values in agreement["speedups"].items():
        print(f"{'':34s} {side} speedups: {', '.join(f'{v:.2f}' for v in values)}")

    print("\nnoise floor: the same estimator on the plain script's even rounds against its odd "
          "rounds\n(half the rounds each side, so a little noisier than the figures above):")
    for example in chosen:
        even, odd = (work_time(example.times("plain", example.plain_runs[first::2]))
                     for first in (0, 1))
        print(f"  {example.name:17s} plain against plain {even / odd:.3f}")
    even, odd = (speedup(pool.times("plain", pool.plain_runs[first::2])) for first in (0, 1))
    print(f"  {'pool_map speedup':17s} plain against plain {abs(even / odd - 1) * 100:.2f} % apart")

    over = []
    for merge, cost in spans.items():
        name = f"span_cost_{'merged' if merge else 'unmerged'}_us"
        ok = record(name, cost["us"], "µs", SPAN_BUDGET_US, "lower")
        runs = ", ".join(f"{c:.2f}" for c in sorted(cost["runs"]))
        print(f"{name:34s} {cost['us']:6.2f}   ≤ {SPAN_BUDGET_US:<5} {_verdict(ok):12s}"
              f"{SPANS:,} spans → {cost['events']:,} events; runs {runs}")
        if not ok:
            over.append(merge)

    print(f"\nper section (s): mean of the {FASTEST_RUNS} fastest, and median, of each side")
    for example in chosen:
        for (key, _), plain, lesson in zip(example.sections, example.times("plain"),
                                           example.times("lesson"), strict=True):
            print(f"  {example.name:17s} {key:11s} plain {fastest(plain):.3f} / "
                  f"{_median(plain):.3f}  lesson {fastest(lesson):.3f} / {_median(lesson):.3f}  "
                  f"ratio {fastest(lesson) / fastest(plain):.3f} / "
                  f"{_median(lesson) / _median(plain):.3f}")
        if example.name == "deposit_withdraw":
            wall = _median([r["wall_s"] for r in example.lesson_runs])
            print(f"  {'':17s} (the lesson's whole CLI run, wall_s, median {wall:.3f})")

    example = chosen[2]
    plain = work_time(example.times("plain"))
    if work_time(example.times("lesson")) / plain > RATIO_BUDGET:
        print(f"\nwhere a {example.lesson} run's time goes (in-process, thread back end; the "
              f"plain section takes {plain:.3f} s):")
        for name, value in lesson_breakdown(example).items():
            print(f"  {name:30s} {value:.3f} s")

    for merge in over:
        print(f"\nwhere a span's time goes (merge {'on' if merge else 'off'}), cProfile:")
        print(profile_span(merge))
    return 0


if __name__ == "__main__":
    sys.exit(main())
