"""Pauses a learner feels: the window's lag around a look change and around a loop's round end.

The real window (1366x768, offscreen unless QT_QPA_PLATFORM says otherwise; under Xvfb and a
window manager: QT_QPA_PLATFORM=xcb DISPLAY=:13) with its own LagMeter probing every 10 ms:
- loop round boundary: race_counter looped on the thread back end, the lag around each round's
  end (its result card, history record and charts across runs);
- then, with that run on screen: projector on, projector off (View > Presentation mode, posted
  to the event loop as a key is), and the theme light -> dark, then dark -> light.
Each figure is the largest lag the meter saw from the action until the window was quiet again
(what the learner feels), printed beside the handler's own time and the budget, and recorded in
bench/results/latest.json. A miss is reported, not an exit status.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from bench.results import record

BUDGET_MS = 50.0  # a pause under 50 ms is not felt as one
SETTLE_S = 0.6  # how long after an action its layouts, repaints and queued calls may still run
ROUNDS = 8
LOOP_PARAMS = {"increments": 20_000, "threads": 2}


def pump(app, seconds: float) -> None:
    """Run the event loop for `seconds` (timers, paints and the lag meter's probes go on)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()
    app.processEvents()


def felt(app, window, action: Callable[[], None]) -> tuple[float, float]:
    """(largest window lag, the handler's own time) in ms, for `action` posted to the loop."""
    from PySide6.QtCore import QTimer

    pump(app, SETTLE_S)
    took: list[float] = []

    def timed() -> None:
        start = time.perf_counter()
        action()
        took.append((time.perf_counter() - start) * 1000)

    since = time.perf_counter()
    QTimer.singleShot(0, timed)
    pump(app, SETTLE_S)
    return window.lag.stats(since)["max"], took[0]


def report(name: str, lag_ms: float, handler_ms: float | None = None) -> None:
    """Print a figure against its budget and record it."""
    ok = record(f"felt_{name}", lag_ms, "ms", BUDGET_MS, "lower")
    own = f" (the handler itself {handler_ms:5.1f} ms)" if handler_ms is not None else ""
    print(f"{name:24s} window lag {lag_ms:6.1f} ms{own}, budget {BUDGET_MS:.0f} ms: "
          f"{'ok' if ok else 'MISSED'}")


def look_changes(app, window, repeats: int) -> None:
    """Projector on and off, and the theme light -> dark -> light, each `repeats` times."""
    appearance = window.appearance
    appearance.set_theme("light")
    figures: dict[str, list[tuple[float, float]]] = {
        "projector_on": [], "projector_off": [], "theme_light_to_dark": [],
        "theme_dark_to_light": []}
    for _ in range(repeats):
        figures["projector_on"].append(felt(app, window, lambda: appearance.set_presenting(True)))
        figures["projector_off"].append(
            felt(app, window, lambda: appearance.set_presenting(False)))
        figures["theme_light_to_dark"].append(
            felt(app, window, lambda: appearance.set_theme("dark")))
        figures["theme_dark_to_light"].append(
            felt(app, window, lambda: appearance.set_theme("light")))
    for name, pairs in figures.items():
        print(f"  {name}: lags " + ", ".join(f"{lag:.0f}" for lag, _ in pairs) + " ms")
        report(name, statistics.median(lag for lag, _ in pairs),
               statistics.median(own for _, own in pairs))


def round_boundaries(app, window, rounds: int) -> None:
    """Loop race_counter until `rounds` rounds ended; the lag just after each round's end."""
    window.lessons.select("race_counter")
    window.params.set_values(LOOP_PARAMS)
    window.backend_box.setCurrentText("thread")
    window.loop_action.setChecked(True)
    ends: list[float] = []
    handler = window._round_finished  # timed as the window's slot: it is what runs at an end
    own: list[float] = []

    def timed_round(result) -> None:
        ends.append(time.perf_counter())
        handler(result)
        own.append((time.perf_counter() - ends[-1]) * 1000)

    window._round_finished = timed_round
    pump(app, SETTLE_S)
    window.start_run()
    deadline = time.perf_counter() + 120
    while len(ends) < rounds and time.perf_counter() < deadline:
        pump(app, 0.05)
    window.stop_run()
    while window.running:
        pump(app, 0.05)
    window.loop_action.setChecked(False)
    # a round's end is felt until the next frames are drawn: the probes in the 100 ms after it
    lags = [window.lag.stats(end, end + 0.1)["max"] for end in ends]
    print(f"  {len(ends)} round ends: lags " + ", ".join(f"{lag:.0f}" for lag in lags) + " ms")
    report("loop_round_boundary", max(statistics.median(lags), 0.0), statistics.median(own))
    report("loop_round_boundary_worst", max(lags), max(own))


def main() -> None:
    """Measure, print and record the felt pauses."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--repeats", type=int, default=3, help="times each look change is made")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="loop rounds to measure")
    parser.add_argument("--only", choices=("look", "loop"), help="measure one half only")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.shell.window import MainWindow
    from desktop.startup.qt_app import GUI_SWITCH_INTERVAL_MS, create_app, set_switch_interval

    app = create_app()
    set_switch_interval(GUI_SWITCH_INTERVAL_MS)
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    pump(app, 1.0)
    # the loop first: the look changes are then made with its run on screen, as a learner's are
    if args.only in (None, "loop"):
        round_boundaries(app, window, args.rounds)
    if args.only in (None, "look"):
        look_changes(app, window, args.repeats)
    window.close()


if __name__ == "__main__":
    main()
