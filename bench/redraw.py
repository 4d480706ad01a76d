"""Redraw time of the window with 20,000 spans, or with 10 minutes of a CPU lane, on screen.

A synthetic run shaped like race_counter at 1,000,000 increments (8 threads taking turns at a
lock for 2 minutes: 20,000 spans, the counter as a metric, per-core and per-thread CPU at 10 Hz,
the lag probe at 100 Hz) is fed to the real window offscreen at 1366x768 (issue 5); then one shaped
like gil_cpu_bound's threads phase run for 10 minutes (2 threads taking turns for the GIL every
~5 ms: 240,000 slices on a CPU and waits for the GIL, CPU at 10 Hz, lag at 100 Hz; issue 19):
- live frame: the events of one frame (1/30 s) arrive and the window draws them, as in a run;
- pan and zoom: every plot repaints whole after the user moves or scales the time axis.
Prints the median and p99 of each and records the medians in bench/results/latest.json.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from bench.results import record

BUDGET_MS = 8.0  # issue 5: <= 8 ms per redraw with 20,000 spans and 2 minutes of samples
# A pan or zoom by the user: the issue sets no figure; one frame of a 60 Hz screen keeps it smooth.
INTERACTIVE_BUDGET_MS = 16.0
RUN_S = 120.0
THREADS = 8
SPANS = 20_000
FRAME_S = 1 / 30
FRAMES = 150  # the last 5 s of the run arrive frame by frame
LANE_RUN_S = 600.0
SWITCH_S = 0.005


def synthetic_events(t0: int) -> list[tuple[float, object]]:
    """(time s, event) of the whole run, in time order."""
    from scenarios.engine.events import Line, Mark, Metric, Span, Worker

    rng = np.random.default_rng(1)
    pid = 4242
    main = Worker(pid, 1, "main")
    workers = [Worker(pid, 100 + i, f"Thread {i + 1}") for i in range(THREADS)]
    ns = lambda s: t0 + int(s * 1e9)  # noqa: E731 - a one-line conversion
    out: list[tuple[float, object]] = [(0.0, Mark(main, ns(0.0), "started"))]
    starts = np.sort(rng.uniform(0, RUN_S, SPANS))
    for i, start in enumerate(starts):
        worker = workers[i % THREADS]
        kind = ("hold_lock", "wait_lock", "run")[i % 3]
        end = start + rng.uniform(0.001, 0.02)
        out.append((end, Span(worker, kind, ns(start), ns(end), "counter lock")))
    for k in range(int(RUN_S * 10)):
        at = k / 10
        out += [(at, Metric(f"core{c}", ns(at), float(rng.uniform(40, 100)))) for c in range(2)]
        out += [(at, Metric(f"thread_cpu:{pid}:{w.tid}", ns(at), float(rng.uniform(0, 0.3))))
                for w in [main, *workers]]
    for k in range(40_000):
        at = k * RUN_S / 40_000
        out.append((at, Metric("counter", ns(at), float(k))))
    for k in range(0, int(RUN_S), 10):
        out.append((k, Line(main, ns(k), f"{k} s: still counting", "stdout")))
    out.sort(key=lambda pair: pair[0])
    return out


def lane_events(t0: int) -> list[tuple[float, object]]:
    """(time s, event) of 10 minutes of two threads taking turns for the GIL, watched."""
    from scenarios.engine.events import Metric, Span, Worker

    rng = np.random.default_rng(2)
    pid = 4343
    main = Worker(pid, 1, "main")
    threads = [Worker(pid, 100 + i, f"Thread {i + 1}") for i in range(2)]
    ns = lambda s: t0 + int(s * 1e9)  # noqa: E731 - a one-line conversion
    out: list[tuple[float, object]] = []
    turns = np.cumsum(rng.uniform(0.5, 1.5, int(LANE_RUN_S / SWITCH_S)) * SWITCH_S)
    turns = turns[turns < LANE_RUN_S]
    for i, (start, end) in enumerate(zip(turns[:-1], turns[1:], strict=True)):
        on, off = threads[i % 2], threads[1 - i % 2]
        out.append((end, Span(Worker(pid, on.tid, ""), "on_cpu", ns(start), ns(end),
                              "on a CPU (seen to within 1.3 ms, thread states)")))
        out.append((end, Span(off, "runnable", ns(start), ns(end), "ready: waiting for the GIL")))
    for thread in threads:  # each one's run, a bar that grows as it counts
        out += [(at + 0.5, Span(thread, "run", ns(at), ns(at + 0.5), "count"))
                for at in np.arange(0, LANE_RUN_S, 0.5)]
    for k in range(int(LANE_RUN_S * 10)):
        at = k / 10
        out += [(at, Metric(f"core{c}", ns(at), float(rng.uniform(40, 60)))) for c in range(2)]
        out += [(at, Metric(f"thread_cpu:{pid}:{w.tid}", ns(at), float(rng.uniform(0.4, 0.6))))
                for w in [main, *threads]]
    out.sort(key=lambda pair: pair[0])
    return out


def timed(fn) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def summary(name: str, times: list[float]) -> float:
    """Print median and p99 of a list of milliseconds; return the median."""
    median = statistics.median(times)
    p99 = float(np.percentile(times, 99))
    print(f"{name:28s} median {median:6.2f} ms  p99 {p99:6.2f} ms  ({len(times)} redraws)")
    return median


def main() -> None:
    """Measure, print and record the redraw figures."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.shell.window import MainWindow
    from desktop.startup.qt_app import create_app

    app = create_app()
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    measure(app, window, "race_counter", synthetic_events(0), RUN_S, "20k_spans")
    measure(app, window, "gil_cpu_bound", lane_events(0), LANE_RUN_S, "lane_10min")
    window.close()


def measure(app, window, lesson_id: str, events: list[tuple[float, object]], run_s: float,
            suffix: str) -> None:
    """Feed a run's events to the window (the last 5 s frame by frame), then pan and zoom."""
    from desktop.data.rundata import RunData

    data = RunData(t0=0, lesson_id=lesson_id, backend="thread")
    live_from = run_s - FRAMES * FRAME_S
    split = next(i for i, (at, _) in enumerate(events) if at >= live_from)
    data.add([event for _, event in events[:split]])
    for k in range(int(live_from * 100)):
        data.add_lag(k / 100, 1.0 + (k % 7))
    window.timeline.clear()
    first = timed(lambda: window._draw(data, live_from))
    app.processEvents()
    frames, i = [], split
    for frame in range(FRAMES):
        until = live_from + (frame + 1) * FRAME_S
        batch = []
        while i < len(events) and events[i][0] < until:
            batch.append(events[i][1])
            i += 1
        for k in range(3):
            data.add_lag(until - k / 100, 2.0)

        def draw(batch=batch, until=until) -> None:
            data.add(batch)
            window._draw(data, until)

        frames.append(timed(draw))
    spans = sum(len(c) for c in data.spans.values())
    samples = sum(len(s) for s in data.metrics.values()) + len(data.cpu) + len(data.lag)
    print(f"on screen: {spans} spans, {len(data.slices)} slices on a CPU, {samples} samples "
          f"over {data.latest_s:.0f} s (first draw of it all: {first:.0f} ms)")
    live = summary("live frame", frames)
    full = []
    for k in range(20):  # a pan: every plot on the time axis repaints whole
        def pan(k=k) -> None:
            window.timeline.plot.setXRange(k * 0.5, run_s + k * 0.5, padding=0)
            app.processEvents()

        full.append(timed(pan))
    panned = summary("full redraw (pan)", full)
    full = []
    for k in range(20):  # a zoom: every plot repaints whole, the bars are thinned anew
        def zoom(k=k) -> None:
            width = run_s * (1.0 - 0.04 * (k + 1))
            window.timeline.plot.setXRange(run_s - width, run_s, padding=0)
            app.processEvents()

        full.append(timed(zoom))
    zoomed = summary("full redraw (zoom)", full)
    for name, value, budget in ((f"redraw_live_frame_{suffix}", live, BUDGET_MS),
                                (f"redraw_pan_{suffix}", panned, INTERACTIVE_BUDGET_MS),
                                (f"redraw_zoom_{suffix}", zoomed, INTERACTIVE_BUDGET_MS)):
        ok = record(name, value, "ms", budget, "lower")
        print(f"{name}: {value:.2f} ms (budget {budget} ms) {'ok' if ok else 'OVER BUDGET'}")


if __name__ == "__main__":
    main()
