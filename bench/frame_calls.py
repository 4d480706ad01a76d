"""What a frame of the window costs in chances to lose the GIL: Qt calls and callbacks into Python.

PySide lets the GIL go around most Qt calls, and every call back from Qt into Python (an item's
paint or boundingRect, a slot) must win it again. Alone, that costs nothing; with a lesson's
thread computing in the window's process, each is a wait of up to a switch interval. So the
count of both per probe of the frame clock is what to cut, and this names the most frequent.

Runs the window in this process (offscreen, automated: `--run LESSON --backend thread`), with a
profile hook on the GUI thread during each `MainWindow._frame`, and prints per frame phase the
median and p90 of Qt calls, callbacks and milliseconds (the hook slows Python, so the times are
only relative), then the most frequent Qt calls and callbacks.

    .venv/bin/python -m bench.frame_calls [--lesson gil_cpu_bound] [--set NAME=VALUE]...
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from types import FrameType
from typing import Any

from shiboken6 import Shiboken

TOP = 12


def is_qt_call(function: Any) -> bool:
    """True for a method or function of a Qt (Shiboken-wrapped) class or object."""
    owner = getattr(function, "__self__", None)
    if isinstance(owner, type):
        return issubclass(owner, Shiboken.Object)
    return isinstance(owner, Shiboken.Object) or type(owner).__module__.startswith("PySide6")


def name_of(function: Any) -> str:
    """A short name for a C function: Class.method."""
    return getattr(function, "__qualname__", getattr(function, "__name__", repr(function)))


class CallCounter:
    """A profile hook that counts Qt calls, and calls into Python made from inside one."""

    def __init__(self) -> None:
        self.stack: list[bool] = []  # per open call: is it a Qt call?
        self.qt_calls = 0
        self.callbacks = 0
        self.qt_names: Counter[str] = Counter()
        self.callback_names: Counter[str] = Counter()

    def start(self) -> None:
        """Count from now (this thread)."""
        self.stack.clear()
        self.qt_calls = self.callbacks = 0
        sys.setprofile(self._hook)

    def stop(self) -> tuple[int, int]:
        """Stop counting; the Qt calls and callbacks since start()."""
        sys.setprofile(None)
        return self.qt_calls, self.callbacks

    def _hook(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "c_call":
            qt = is_qt_call(arg)
            self.stack.append(qt)
            if qt:
                self.qt_calls += 1
                self.qt_names[name_of(arg)] += 1
        elif event == "call":
            if self.stack and self.stack[-1]:
                self.callbacks += 1
                code = frame.f_code
                where = code.co_filename.rsplit("site-packages/", 1)[-1]
                self.callback_names[f"{where.rsplit(os.sep, 1)[-1]}:{code.co_name}"] += 1
            self.stack.append(False)
        elif event in ("return", "c_return", "c_exception") and self.stack:
            self.stack.pop()


def watch_frames(counter: CallCounter, samples: dict[int, list[tuple[int, int, float]]]) -> None:
    """Wrap MainWindow._frame so each probe's part of a frame is counted and timed."""
    from desktop.shell.window import MainWindow

    plain = MainWindow._frame

    def counted(window: MainWindow, phase: int) -> None:
        if not window.running:
            plain(window, phase)
            return
        start = time.perf_counter()
        counter.start()
        try:
            plain(window, phase)
        finally:
            qt_calls, callbacks = counter.stop()
        samples[phase].append((qt_calls, callbacks, (time.perf_counter() - start) * 1000))

    MainWindow._frame = counted


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def report(samples: dict[int, list[tuple[int, int, float]]], counter: CallCounter) -> None:
    """Print the per-phase figures and the most frequent calls."""
    from desktop.shell.window import LIVE_PARTS

    print(f"{'frame part':34s} probes  Qt calls (median/p90)  callbacks (median/p90)  ms")
    for phase, rows in sorted(samples.items()):
        qt, back, ms = (list(column) for column in zip(*rows, strict=True))
        print(f"{phase} {'+'.join(LIVE_PARTS[phase]):32s} {len(rows):6d}  "
              f"{statistics.median(qt):8.0f} / {p90(qt):6.0f}      "
              f"{statistics.median(back):8.0f} / {p90(back):6.0f}      "
              f"{statistics.median(ms):5.1f}")
    print("\nmost frequent Qt calls (each may let the GIL go):")
    for name, count in counter.qt_names.most_common(TOP):
        print(f"  {count:7d}  {name}")
    print("\nmost frequent callbacks from Qt into Python (each must win the GIL):")
    for name, count in counter.callback_names.most_common(TOP):
        print(f"  {count:7d}  {name}")


def main() -> int:
    """Run the lesson in the window, count, and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="gil_cpu_bound")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    counter = CallCounter()
    samples: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    watch_frames(counter, samples)
    from desktop.startup.app import main as app_main

    argv = ["--run", args.lesson, "--backend", "thread", "--exit-when-done"]
    for assignment in args.set:
        argv += ["--set", assignment]
    code = app_main(argv)
    report(samples, counter)
    return code


if __name__ == "__main__":
    sys.exit(main())
